import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 8;

/**
 * Reads some attributes of many institutions' PRIVATE items with BatchGetItem (100 keys a call,
 * unprocessed keys retried with backoff): one item read per institution, whatever the register's size.
 */
export async function batchGetPrivate(
  db: DynamoDBDocumentClient,
  table: string,
  usccs: readonly string[],
  attributes: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const wanted = [...new Set(usccs)];
  const names = Object.fromEntries(['uscc', ...attributes].map((a, i) => [`#a${i}`, a]));
  for (let i = 0; i < wanted.length; i += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] = wanted.slice(i, i + BATCH_GET_LIMIT).map((u) => keys.private(u));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error('BatchGetItem kept leaving unprocessed keys');
      const out = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of out.Responses?.[table] ?? []) found.set(String(item.uscc), item);
      pending = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return found;
}
