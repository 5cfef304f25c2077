import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The path the public asks for; the job writes the objects under the same keys (shared/exports). */
export const EXPORT_PATH = '/v1/export/*';
/** The files the job writes (shared/jobs/grades-export.ts GRADES_CSV). */
export const EXPORT_FILES = ['grades.csv'] as const;

/**
 * Where the grades-export job puts the files it regenerates off the request path, so no function ever
 * answers with the whole register. Private: CloudFront reads it through origin access control. The
 * files are derived data, rebuilt by the next run, so the bucket is not kept on delete.
 */
export class ExportBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.DESTROY,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Holds only files regenerated from public data; CloudFront and the job logs cover access.',
    });
  }

  /** Lets the jobs function write the exports (those objects only, nothing else), and tells it where. */
  grantWriter(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: EXPORT_FILES.map((name) => this.bucket.arnForObjects(`v1/export/${name}`)),
      }),
    );
    fn.addEnvironment('EXPORT_BUCKET', this.bucket.bucketName);
  }

  /**
   * Lets a public function read the exports (those objects only) to presign download links, where no
   * CDN serves the bucket: the route answers 302 to S3 and no file passes through the function.
   */
  grantReader(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: EXPORT_FILES.map((name) => this.bucket.arnForObjects(`v1/export/${name}`)),
      }),
    );
    fn.addEnvironment('EXPORT_BUCKET', this.bucket.bucketName);
  }

  /**
   * Serves `/v1/export/*` from the bucket. The cache key holds no query string, header or cookie, and
   * none is forwarded: `?x=1` gets the cached file, never a new origin request.
   */
  serveThrough(distribution: cloudfront.Distribution): void {
    const cachePolicy = new cloudfront.CachePolicy(this, 'ExportCache', {
      comment: 'Exports: no query string, header or cookie in the key or sent to the origin',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.hours(1),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    distribution.addBehavior(EXPORT_PATH, origins.S3BucketOrigin.withOriginAccessControl(this.bucket), {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      cachePolicy,
      compress: true,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    });
  }
}
