import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * A conditional write whose answer was lost (a timeout, a 500 after commit) fails its own retry: the
 * condition no longer holds because the first attempt applied. Before reporting a conflict, the
 * writer reads the item back; if it is exactly what this write would have stored, the write is done
 * and the caller carries on with the steps that follow it instead of leaving them undone.
 */
export async function alreadyStored(
  db: DynamoDBDocumentClient,
  table: string,
  key: { pk: string; sk: string },
  item: Record<string, unknown>,
  ignore: readonly string[] = [],
): Promise<boolean> {
  const out = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  if (!out?.Item) return false;
  return canonical(out.Item, ignore) === canonical(item, ignore);
}

/** JSON with sorted keys, without `undefined` (never stored) and without the ignored attributes. */
function canonical(item: Record<string, unknown>, ignore: readonly string[]): string {
  const top = Object.fromEntries(
    Object.entries(item).filter(([k, v]) => !ignore.includes(k) && v !== undefined),
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
