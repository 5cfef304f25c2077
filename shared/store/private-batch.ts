import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get.ts';
import { keys } from './keys.ts';

/**
 * Reads some attributes of many institutions' PRIVATE items with BatchGetItem: one item read per
 * institution, whatever the register's size.
 */
export async function batchGetPrivate(
  db: DynamoDBDocumentClient,
  table: string,
  usccs: readonly string[],
  attributes: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const names = Object.fromEntries(['uscc', ...attributes].map((a, i) => [`#a${i}`, a]));
  const items = await batchGetAll(
    db,
    table,
    [...new Set(usccs)].map((u) => keys.private(u)),
    { projection: Object.keys(names).join(', '), names, consistent: true },
  );
  return new Map(items.map((item) => [String(item.uscc), item]));
}
