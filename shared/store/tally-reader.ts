import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Tally } from '../domain/register-tally.ts';
import type { ReadOptions } from './institution-reader.ts';
import { keys } from './keys.ts';

/** A row whose counted bucket the committed tally has changed but whose mark is not written yet. */
export interface PendingMark {
  u: string;
  c: string;
}

/** The statistics' tally item (`ROWS` / `TALLY`); its upkeep is `RegisterTallyStore`'s. */
export interface TallyItem {
  /** Compare-and-set counter: every commit is conditional on the revision it read. */
  rev: number;
  tally: Tally;
  pending: PendingMark[];
  /** Register version every change up to which is counted (the catch-up's starting point). */
  v: number;
}

export async function readTallyItem(
  db: DynamoDBDocumentClient,
  table: string,
  consistent: boolean,
  opts: ReadOptions = {},
): Promise<TallyItem> {
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: keys.registerTally,
      ConsistentRead: consistent,
      ReturnConsumedCapacity: opts.onCapacity ? 'TOTAL' : undefined,
    }),
  );
  opts.onCapacity?.(out.ConsumedCapacity?.CapacityUnits ?? 0);
  const item = out.Item;
  if (!item) return { rev: 0, tally: {}, pending: [], v: 0 };
  return {
    rev: Number(item.rev ?? 0),
    tally: (item.tally ?? {}) as Tally,
    pending: Array.isArray(item.pending) ? (item.pending as PendingMark[]) : [],
    v: Number(item.v ?? 0),
  };
}

/** What `/v1/stats` reads: the kept tally, one eventually consistent GetItem. */
export class TallyReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: ReadOptions = {},
  ) {}

  async tally(): Promise<Tally> {
    return (await readTallyItem(this.db, this.table, false, this.opts)).tally;
  }
}
