import { Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { type BodyCap, newWebAcl, WebAclLogs } from './constructs/waf-rules.ts';

export interface EdgeStackProps extends StackProps {
  /** Requests per IP per 5 minutes on the public (unauthenticated) paths. */
  publicRateLimit: number;
  /** Requests per IP per 5 minutes on every path, authenticated ones included. */
  overallRateLimit: number;
  /** Routes with their own body limit. */
  bodyCaps: readonly BodyCap[];
  /** Custom domain of the distribution; a DNS-validated certificate is issued for it. */
  domainName?: string | undefined;
}

/**
 * What CloudFront needs from us-east-1 (the only region where WAF for CloudFront and CloudFront's
 * certificates can live): the web ACL and, with a custom domain, its certificate. The stateless stack
 * reads both through cross-region references, so `cdk deploy --all` deploys everything in order.
 */
export class EdgeStack extends Stack {
  readonly webAclArn: string;
  readonly certificate?: acm.ICertificate;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);

    const acl = newWebAcl(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      publicRateLimit: props.publicRateLimit,
      overallRateLimit: props.overallRateLimit,
      bodyCaps: props.bodyCaps,
    });
    new WebAclLogs(this, 'WebAclLogs', { webAcl: acl, name: 'yimei-credit-cloudfront' });
    this.webAclArn = acl.attrArn;

    if (props.domainName) {
      // DNS validation without a Route 53 zone: the deploy waits until the CNAME it prints is added
      // at the domain's DNS provider.
      this.certificate = new acm.Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: acm.CertificateValidation.fromDns(),
      });
    }
  }
}
