import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { REGISTER_SNAPSHOT_KEY } from '../../shared/exports/register-snapshot-store.ts';

/**
 * The register snapshot (docs/performance.md "Register snapshot") in the export bucket, under a key
 * the CDN does not serve: the jobs function writes it, the public function reads it at a cold start,
 * each that one object only. Both are told the bucket; without it the public function walks the rows.
 */
export function bindRegisterSnapshot(
  bucket: s3.IBucket,
  fns: { writer: lambda.Function; readers: readonly lambda.Function[] },
): void {
  const object = bucket.arnForObjects(REGISTER_SNAPSHOT_KEY);
  fns.writer.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [object] }));
  fns.writer.addEnvironment('REGISTER_SNAPSHOT_BUCKET', bucket.bucketName);
  for (const fn of fns.readers) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [object] }));
    fn.addEnvironment('REGISTER_SNAPSHOT_BUCKET', bucket.bucketName);
  }
}
