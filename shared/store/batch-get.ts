import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

/** BatchGetItem's own limit of keys a call. */
const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 8;

export interface BatchGetOptions {
  projection?: string;
  names?: Record<string, string>;
  consistent?: boolean;
  /** Asks for the capacity consumed, handed to `onResponse` with each answer. */
  returnConsumedCapacity?: 'TOTAL';
  onResponse?: (out: BatchGetCommandOutput) => void;
}

/**
 * The items of many keys by BatchGetItem: 100 keys a call, the keys it leaves unprocessed retried with
 * back-off (a throttled table answers in part). Items in no particular order; a missing key is absent.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  opts: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let pending = keys.slice(i, i + BATCH_GET_LIMIT) as Record<string, unknown>[];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error('BatchGetItem kept leaving unprocessed keys');
      const out = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ProjectionExpression: opts.projection,
              ExpressionAttributeNames: opts.names,
              ConsistentRead: opts.consistent,
            },
          },
          ReturnConsumedCapacity: opts.returnConsumedCapacity,
        }),
      );
      opts.onResponse?.(out);
      found.push(...(out.Responses?.[table] ?? []));
      pending = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return found;
}
