import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * A conditional write whose answer was lost (a timeout, a 500 after commit) fails when the SDK retries
 * it: the condition no longer holds because the first attempt applied. Each write therefore carries a
 * token of its own call; before reporting a conflict, the writer reads the item back:
 * - `mine`: this very write is stored (the SDK retried it): it succeeded;
 * - `same`: another call stored the same content (a racing duplicate, or the caller's earlier attempt):
 *   the caller still gets its conflict, after the steps that follow the write are made complete;
 * - `other`: a different change won.
 */
export type StoredMatch = 'mine' | 'same' | 'other';

/** The item to write, stamped with a token unique to this call. */
export function withWriteToken<T extends Record<string, unknown>>(item: T): T & { writeToken: string } {
  return { ...item, writeToken: randomUUID() };
}

export async function compareStored(
  db: DynamoDBDocumentClient,
  table: string,
  key: { pk: string; sk: string },
  written: Record<string, unknown> & { writeToken: string },
  /** Attributes that may differ between two attempts of the same change (e.g. `updatedAt`). */
  ignore: readonly string[] = [],
): Promise<StoredMatch> {
  const out = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  const stored = out?.Item;
  if (!stored) return 'other';
  if (canonical(stored, []) === canonical(written, [])) return 'mine';
  const skip = ['writeToken', ...ignore];
  return canonical(stored, skip) === canonical(written, skip) ? 'same' : 'other';
}

/** JSON with sorted keys, without `undefined` (never stored) and without the skipped attributes. */
function canonical(item: Record<string, unknown>, skip: readonly string[]): string {
  const top = Object.fromEntries(
    Object.entries(item).filter(([k, v]) => !skip.includes(k) && v !== undefined),
  );
  return JSON.stringify(top, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
