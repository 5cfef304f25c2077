import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { KINDS } from '#shared/domain/types.ts';
import { accessPatterns, type IndexPartition, keys } from '#shared/store/keys.ts';

/** Where to look: the institutions and results a test knows about. */
export interface KnownPartitions {
  usccs: readonly string[];
  resultIds: readonly string[];
  years?: readonly number[];
}

/**
 * Every item of the partitions a request could write, read back with paginated Queries (never a
 * Scan): each known institution's own, audit and notice partitions and its results; the feed; every
 * institution through the register index (a newly registered one shows there); publicity and the
 * inspection plans. Keyed by `pk|sk`, each item as canonical JSON.
 */
export async function snapshotTable(
  db: DynamoDBDocumentClient,
  table: string,
  known: KnownPartitions,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const query = async (input: { index?: string; keyName: string; value: string }) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: input.index,
          KeyConditionExpression: '#k = :v',
          ExpressionAttributeNames: { '#k': input.keyName },
          ExpressionAttributeValues: { ':v': input.value },
          ExclusiveStartKey: startKey,
          ConsistentRead: input.index ? undefined : true,
        }),
      );
      for (const item of res.Items ?? []) out.set(`${item.pk}|${item.sk}`, canonical(item));
      startKey = res.LastEvaluatedKey;
    } while (startKey);
  };
  const onIndex = (p: IndexPartition) => ({ index: p.IndexName, keyName: p.pkName, value: p.pk });
  const jobs: Array<Promise<void>> = [
    query({ keyName: 'pk', value: keys.feedPartition }),
    query(onIndex(accessPatterns.resultsInPublicity())),
    ...KINDS.map((k) => query(onIndex(accessPatterns.institutionsOfKind(k)))),
    ...(known.years ?? [2025, 2026, 2027]).map((y) =>
      query({ keyName: 'pk', value: keys.inspectionPlan(y).pk }),
    ),
  ];
  for (const uscc of known.usccs) {
    jobs.push(
      query({ keyName: 'pk', value: keys.profile(uscc).pk }),
      query({ keyName: 'pk', value: keys.auditPartition(uscc) }),
      query({ keyName: 'pk', value: keys.noticePartition(uscc) }),
      query(onIndex(accessPatterns.resultsOfInstitution(uscc))),
    );
  }
  for (const id of known.resultIds) jobs.push(query({ keyName: 'pk', value: keys.result(id).pk }));
  await Promise.all(jobs);
  return out;
}

/** Keys whose item differs between two snapshots (added, removed or changed). */
export function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) changed.push(k);
  for (const k of before.keys()) if (!after.has(k)) changed.push(k);
  return changed.sort();
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Set)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x instanceof Set
        ? [...x].sort()
        : x,
  );
}
