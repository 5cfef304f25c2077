import { Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface EdgeStackProps extends StackProps {
  /** Requests per IP per 5 minutes on the public (unauthenticated) paths. */
  publicRateLimit: number;
  /** Requests per IP per 5 minutes on every path, authenticated ones included. */
  overallRateLimit: number;
  /** Custom domain of the distribution; a DNS-validated certificate is issued for it. */
  domainName?: string | undefined;
}

/** Paths that carry a bearer token: only the overall limit applies to them. */
const AUTHENTICATED_PATH_PREFIX = '/v1/admin/';

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

    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: true,
    });
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('yimei-credit'),
      customResponseBodies: {
        tooMany: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'https://credit.hangzhou.invalid/problems/rate-limited',
            title: 'Too many requests',
            status: 429,
            detail: '请求过于频繁，请稍后再试 (fair-use limit per IP address)',
          }),
        },
      },
      rules: [
        {
          name: 'PublicRatePerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany' } } },
          visibilityConfig: visibility('public-rate-per-ip'),
          statement: {
            rateBasedStatement: {
              limit: props.publicRateLimit,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                notStatement: {
                  statement: {
                    byteMatchStatement: {
                      fieldToMatch: { uriPath: {} },
                      positionalConstraint: 'STARTS_WITH',
                      searchString: AUTHENTICATED_PATH_PREFIX,
                      textTransformations: [{ priority: 0, type: 'NONE' }],
                    },
                  },
                },
              },
            },
          },
        },
        {
          name: 'OverallRatePerIp',
          priority: 1,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany' } } },
          visibilityConfig: visibility('overall-rate-per-ip'),
          statement: {
            rateBasedStatement: {
              limit: props.overallRateLimit,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
        },
        {
          name: 'AwsCommonRuleSet',
          priority: 2,
          overrideAction: { none: {} },
          visibilityConfig: visibility('aws-common-rule-set'),
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
          },
        },
      ],
    });
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
