import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { CACHE_KEY_FUNCTION_FILE } from '../edge/cache-key.ts';

/**
 * Every query parameter a public route reads (infra/edge/cache-key.js keeps, per route, only its own):
 * the only ones in the cache key or sent on, so a parameter nobody reads (a WeChat share's `from`,
 * `isappinstalled`) never splits the cache even if the function did not run.
 */
export const PUBLIC_QUERY_PARAMETERS = [
  'q',
  'district',
  'grade',
  'kind',
  'procedure',
  'near',
  'radius',
  'limit',
  'cursor',
  'since',
  'type',
] as const;

/**
 * The public reads' cache key: a viewer-request function rewrites each request to the form the app
 * treats as equal (parameters its route reads, in a fixed order, the search text normalised, Accept
 * reduced to what the route chooses by, or dropped), and the cache policy keys on that alone. Origin
 * is not in the key: CORS answers are the same for every origin. The app still decides how long an
 * answer keeps (Cache-Control); CloudFront only honours it.
 */
export class PublicEdgeCache extends Construct {
  readonly cachePolicy: cloudfront.CachePolicy;
  readonly functionAssociations: cloudfront.FunctionAssociation[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const fn = new cloudfront.Function(this, 'CacheKey', {
      comment: 'Public reads: query, search text and Accept as the app treats them',
      code: cloudfront.FunctionCode.fromFile({ filePath: CACHE_KEY_FUNCTION_FILE }),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    this.functionAssociations = [{ function: fn, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }];
    this.cachePolicy = new cloudfront.CachePolicy(this, 'Policy', {
      comment: 'Honours the origin Cache-Control; keys on the parameters routes read and on Accept (Atom)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(...PUBLIC_QUERY_PARAMETERS),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Accept'),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
  }
}
