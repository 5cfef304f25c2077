import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RegisterRow } from '../domain/register-row.ts';
import type { TallyInput } from '../domain/register-tally.ts';
import { batchGetAll } from './batch-get.ts';
import { isConditionFailure } from './dynamo.ts';
import type { ReadOptions } from './institution-reader.ts';
import { keys } from './keys.ts';
import { retryOnConflict } from './retry-on-conflict.ts';

/** Changes the version item remembers, so a warm instance catches up with one BatchGet. */
export const RECENT_CHANGES = 64;
const BUMP_ATTEMPTS = 25;

export interface RegisterVersion {
  v: number;
  /** The latest changes, oldest first: `s` is the version a change produced, `u` its institution. */
  recent: Array<{ s: number; u: string }>;
}

const ROW_FIELDS = [
  'uscc',
  'name',
  'aliases',
  'kind',
  'district',
  'grade',
  'score',
  'closed',
  'closedOn',
  'publishedOn',
  'nextReviewDue',
  'reviewOverdue',
  'inPublicity',
  'publicity',
  'registeredOn',
  'subjects',
  'surgeryLevel',
  'location',
  'address',
  'sortName',
  'texts',
  'pinyin',
  'v',
] as const;

function rowFrom(item: Record<string, unknown>): RegisterRow {
  const row = Object.fromEntries(ROW_FIELDS.map((f) => [f, item[f] ?? null])) as unknown as RegisterRow;
  return {
    ...row,
    aliases: row.aliases ?? [],
    texts: row.texts ?? [],
    pinyin: row.pinyin ?? [],
  };
}

export const registerRowItem = (row: RegisterRow) => ({ ...keys.registerRow(row.uscc), ...row });

/** A row as the statistics see it: where it belongs now, and the bucket the kept tally counts it in. */
export interface TallyState {
  uscc: string;
  row: TallyInput;
  /** `tallyKey` of the bucket the tally counts this row in; null before it was first counted. */
  counted: string | null;
}

function tallyStateFrom(item: Record<string, unknown>): TallyState {
  return {
    uscc: String(item.uscc),
    row: {
      district: String(item.district),
      grade: (item.grade ?? null) as TallyInput['grade'],
      closed: item.closed === true,
    },
    counted: typeof item.counted === 'string' ? item.counted : null,
  };
}

/**
 * The compact register rows (`ROW#<shard>` / uscc) and the version item (`ROWS` / `VERSION`). A row is
 * a deterministic projection of a profile, written conditionally on its version, so a retry or a
 * late writer never puts an older row over a newer one; every change then bumps the version, which
 * is all a warm reader checks.
 */
export class RegisterRows {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: ReadOptions = {},
  ) {}

  private track<T extends { ConsumedCapacity?: unknown }>(out: T): T {
    const cc = out?.ConsumedCapacity as
      | { CapacityUnits?: number }
      | Array<{ CapacityUnits?: number }>
      | undefined;
    const units = Array.isArray(cc)
      ? cc.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0)
      : (cc?.CapacityUnits ?? 0);
    this.opts.onCapacity?.(units);
    return out;
  }

  private get capacity() {
    return this.opts.onCapacity ? ('TOTAL' as const) : undefined;
  }

  /**
   * Writes the row unless a row from a newer profile is there already. An update of the row's fields,
   * not a put, so the statistics' own marks on the row (`counted`, `countedRev`) stay.
   */
  async put(row: RegisterRow): Promise<void> {
    const fields = ROW_FIELDS.filter((f) => f !== 'uscc');
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.registerRow(row.uscc),
          UpdateExpression: `SET #uscc = :uscc, ${fields.map((f) => `#${f} = :${f}`).join(', ')}`,
          ConditionExpression: 'attribute_not_exists(pk) OR #v <= :v',
          ExpressionAttributeNames: Object.fromEntries(['uscc', ...fields].map((f) => [`#${f}`, f])),
          ExpressionAttributeValues: Object.fromEntries(
            ['uscc', ...fields].map((f) => [`:${f}`, row[f as keyof RegisterRow] ?? null]),
          ),
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  /** Records, on the row, that the tally of revision `rev` counts it in `counted` (never over a later mark). */
  async markCounted(uscc: string, counted: string, rev: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.registerRow(uscc),
          UpdateExpression: 'SET counted = :c, countedRev = :r',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(countedRev) OR countedRev < :r)',
          ExpressionAttributeValues: { ':c': counted, ':r': rev },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  /**
   * Records that `uscc` changed: the version goes up by one and the change joins the recent list.
   * Compare-and-set on the version, retried, so concurrent writers each get their own step.
   */
  async bump(uscc: string): Promise<number> {
    const bumped = retryOnConflict(
      async () => {
        const current = await this.version(true);
        const v = (current?.v ?? 0) + 1;
        const recent = [...(current?.recent ?? []), { s: v, u: uscc }].slice(-RECENT_CHANGES);
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keys.registerVersion, v, recent },
            ConditionExpression: current ? 'v = :v' : 'attribute_not_exists(pk)',
            ExpressionAttributeValues: current ? { ':v': current.v } : undefined,
          }),
        );
        return v;
      },
      { attempts: BUMP_ATTEMPTS, pause: true, isConflict: isConditionFailure },
    );
    return bumped.catch((err: unknown) => {
      throw isConditionFailure(err) ? new Error('the register version kept changing under a bump') : err;
    });
  }

  /** The version item (eventually consistent unless asked), or null before the first change. */
  async version(consistent = false): Promise<RegisterVersion | null> {
    const out = this.track(
      await this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: keys.registerVersion,
          ConsistentRead: consistent,
          ReturnConsumedCapacity: this.capacity,
        }),
      ),
    );
    if (!out.Item) return null;
    return {
      v: Number(out.Item.v ?? 0),
      recent: Array.isArray(out.Item.recent) ? (out.Item.recent as RegisterVersion['recent']) : [],
    };
  }

  /** Every row: one paged Query per shard, the shards in parallel (consistently for the snapshot job). */
  async all(consistent = false): Promise<RegisterRow[]> {
    return (await this.allItems(consistent)).map(rowFrom);
  }

  /** Every row's tally state, read consistently (the statistics' full reconciliation, off the request path). */
  async allTallyStates(): Promise<TallyState[]> {
    return (await this.allItems(true)).map(tallyStateFrom);
  }

  /** The tally states of some rows, read consistently; unknown institutions are left out. */
  async tallyStates(usccs: readonly string[]): Promise<TallyState[]> {
    return [...(await this.itemsOf(usccs, true)).values()].map(tallyStateFrom);
  }

  private async allItems(consistent: boolean): Promise<Record<string, unknown>[]> {
    const shards = await Promise.all(
      keys.registerShards().map(async (pk) => {
        const items: Record<string, unknown>[] = [];
        let startKey: Record<string, unknown> | undefined;
        do {
          const out = this.track(
            await this.db.send(
              new QueryCommand({
                TableName: this.table,
                KeyConditionExpression: 'pk = :pk',
                ExpressionAttributeValues: { ':pk': pk },
                ExclusiveStartKey: startKey,
                ConsistentRead: consistent,
                ReturnConsumedCapacity: this.capacity,
              }),
            ),
          );
          items.push(...(out.Items ?? []));
          startKey = out.LastEvaluatedKey;
        } while (startKey);
        return items;
      }),
    );
    return shards.flat();
  }

  /** Rows of some institutions: BatchGetItem, 100 keys a call, unprocessed keys retried. */
  async getMany(usccs: readonly string[], consistent = true): Promise<Map<string, RegisterRow>> {
    const items = await this.itemsOf(usccs, consistent);
    return new Map([...items].map(([uscc, item]) => [uscc, rowFrom(item)]));
  }

  private async itemsOf(
    usccs: readonly string[],
    consistent: boolean,
  ): Promise<Map<string, Record<string, unknown>>> {
    const items = await batchGetAll(
      this.db,
      this.table,
      [...new Set(usccs)].map((u) => keys.registerRow(u)),
      { consistent, returnConsumedCapacity: this.capacity, onResponse: (out) => this.track(out) },
    );
    return new Map(items.map((item) => [String(item.uscc), item]));
  }
}
