import { Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { uncachedPathPatterns } from '../catalogue.ts';
import { PublicEdgeCache } from './edge-cache.ts';
import { LOG_RETENTION } from './waf-rules.ts';

/*
 * The global profile's CloudFront distribution. Built on the stack itself (not inside a construct of its
 * own), so the resources keep the logical ids they were first deployed with. The public reads' cache
 * key and policy are PublicEdgeCache's alone (edge-cache.ts).
 */

export interface CdnProps {
  /** The API's origin: its regional custom domain, or the execute-api domain without one. */
  apiOriginDomain: string;
  /** Headers CloudFront adds to every origin request (the secret origin header). */
  originHeaders: Record<string, string>;
  webAclArn: string;
  domainName?: string | undefined;
  certificate?: acm.ICertificate | undefined;
  /** Where the public reads go when not to the API (the public function's URL). */
  publicReads?: cloudfront.IOrigin | undefined;
}

/**
 * The public function's URL as CloudFront's origin: IAM-authenticated, so only this distribution's
 * signed requests (origin access control) invoke it, and carrying the origin header as the API does.
 */
export function functionUrlOrigin(
  fn: lambda.Function,
  originHeaders: Record<string, string>,
): cloudfront.IOrigin {
  const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  return origins.FunctionUrlOrigin.withOriginAccessControl(url, { customHeaders: originHeaders });
}

/** The objection route's path pattern in the distribution. */
/** The header CloudFront adds with the viewer's address and port (shared/http/client-address.ts). */
const VIEWER_ADDRESS = 'CloudFront-Viewer-Address';

export const OBJECTION_PATH_PATTERN = '/v1/publicity/*/objections';

/** What the objection route reads from the viewer's request, and CloudFront's viewer address (client-address.ts). */
export const OBJECTION_ORIGIN_HEADERS = [
  'Accept',
  'Accept-Language',
  'Content-Type',
  'Origin',
  'Referer',
  'Sec-Fetch-Site',
  'User-Agent',
  VIEWER_ADDRESS,
];

/**
 * The distribution: public reads cached as their Cache-Control says under the edge's cache key; the
 * catalogue's other routes never cached, the Authorization header passed through.
 */
export function newDistribution(stack: Stack, props: CdnProps): cloudfront.Distribution {
  const origin = new origins.HttpOrigin(props.apiOriginDomain, {
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    customHeaders: props.originHeaders,
  });
  // Standard access logs: kept as long as every other log (LOG_RETENTION), never public.
  const logBucket = new s3.Bucket(stack, 'CdnLogs', {
    // CloudFront's standard logging writes with object ACLs, which need ACLs enabled.
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ expiration: Duration.days(LOG_RETENTION) }],
  });
  Validations.of(logBucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-log bucket itself; logging its own access would log the log writes.',
  });
  // The public reads' cache key, normalised at the edge as the app treats requests alike.
  const publicEdge = new PublicEdgeCache(stack, 'PublicEdge');
  const uncached: cloudfront.BehaviorOptions = {
    origin,
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
    cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
    originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
  };
  // Objections are counted per client: the app reads the viewer's address from the header CloudFront
  // adds itself, never from X-Forwarded-For, whose first entry the client writes.
  const objections: cloudfront.BehaviorOptions = {
    ...uncached,
    originRequestPolicy: new cloudfront.OriginRequestPolicy(stack, 'ObjectionOriginRequest', {
      comment: 'Objections: the viewer headers the app reads, and the viewer address CloudFront adds',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...OBJECTION_ORIGIN_HEADERS),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    }),
  };
  const distribution = new cloudfront.Distribution(stack, 'Cdn', {
    comment: 'yimei-credit public site and API',
    defaultBehavior: {
      origin: props.publicReads ?? origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      cachePolicy: publicEdge.cachePolicy,
      // Not in the cache key: the viewer's address reaches the origin only on a miss, where the public
      // reads that limit per client (the objection status lookup) count it instead of the edge's address.
      originRequestPolicy: new cloudfront.OriginRequestPolicy(stack, 'PublicOriginRequest', {
        comment: 'Public reads: the viewer address CloudFront adds, beside what the cache key forwards',
        headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(VIEWER_ADDRESS),
        queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
        cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      }),
      functionAssociations: publicEdge.functionAssociations,
      compress: true,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    },
    additionalBehaviors: Object.fromEntries(
      uncachedPathPatterns().map((p) => [p, p === OBJECTION_PATH_PATTERN ? objections : uncached]),
    ),
    webAclId: props.webAclArn,
    enableLogging: true,
    logBucket,
    logFilePrefix: 'cloudfront/',
    // Price class 200 includes the Asian edges that serve mainland users.
    priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    ...(props.domainName && props.certificate
      ? {
          domainNames: [props.domainName],
          certificate: props.certificate,
          minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        }
      : {}),
  });
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: 'Open data for anyone, including associations and visitors abroad: no geographic restriction.',
  });
  if (!props.domainName) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS policy cannot be set; pass -c domainName=... for TLS 1.2_2021.',
    });
  }
  return distribution;
}
