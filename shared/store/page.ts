import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** A page of a Query: items plus the key to resume after the last one returned. */
export interface Page<T> {
  items: T[];
  lastKey: Record<string, unknown> | null;
}

/** Strips the key, index and storage-only attributes from a stored item. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const {
    pk,
    sk,
    gsi1pk,
    gsi1sk,
    gsi2pk,
    gsi2sk,
    gsi3pk,
    gsi3sk,
    gsi4pk,
    gsi4sk,
    gradeKey,
    writeToken,
    ...rest
  } = item;
  return rest as T;
}

/** Every item a Query matches, page after page until DynamoDB has no key to resume from. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
