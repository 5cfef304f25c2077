import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoOptions {
  region: string;
  /** The local in-process server; unset in AWS. */
  endpoint?: string | undefined;
}

/** One document client per process, created at cold start and injected everywhere. */
export function createDocumentClient(opts: DynamoOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: opts.region,
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 5,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The document client a configuration names: its region, and the local server where one is set. */
export function documentClientFor(config: {
  AWS_REGION: string;
  DYNAMODB_ENDPOINT?: string | undefined;
}): DynamoDBDocumentClient {
  return createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
}

/** True when DynamoDB refused a write because its condition did not hold. */
export function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}
