import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get.ts';
import { isConditionFailure } from './dynamo.ts';
import { accessPatterns, campaignApplicationKeys, campaignResultKeys, keys, partitionQuery } from './keys.ts';
import { queryAll } from './page.ts';
import type { RegisterRows } from './register-rows.ts';

/** What a keying step found: items read, items given their campaign key, items a write got to first. */
export interface KeyingCount {
  examined: number;
  keyed: number;
  /** The key was missing when read but the conditional update found it written (or the item gone). */
  raced: number;
}

export const noKeying = (): KeyingCount => ({ examined: 0, keyed: 0, raced: 0 });

/** One register row as the walk reads it: its uscc and whether it carries `registeredOn` and `address`. */
export interface WalkedRow {
  uscc: string;
  dated: boolean;
  addressed: boolean;
}

/** Where a backfill pass stands: the last institution done (`''` before the first) and its running counts. */
export interface BackfillProgress {
  after: string;
  passStartedAt: string | null;
  institutions: number;
  results: KeyingCount;
  applications: KeyingCount;
  /**
   * Register rows read without `registeredOn` or `address` (examined) and given what they lacked from
   * their profile (keyed).
   */
  rows: KeyingCount;
}

interface ResultKeySource {
  pk: string;
  sk: string;
  id: string;
  assessedOn: string;
  district: string;
  createdAt: string;
  gsi3pk?: string;
}

interface ApplicationKeySource {
  pk: string;
  sk: string;
  id: string;
  uscc: string;
  year: number;
  gsi3pk?: string;
}

/**
 * The reads and conditional writes that give items stored before the campaign keys existed their gsi3
 * campaign key. Every write is an UpdateItem that sets only `gsi3pk`/`gsi3sk`, and only while the item
 * exists, has no campaign key and still has the fields the key was computed from: a normal write
 * racing with it (which puts the key itself) always wins, and a retry changes nothing.
 */
export class CampaignKeyBackfill {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly rows: Pick<RegisterRows, 'bump'>,
  ) {}

  /**
   * The register's rows after `after`, in uscc order across the row shards: each shard is read by a
   * paged Query (`sk > after`) and the shards are merged, so no row is read twice.
   */
  async *rowsAfter(after: string, pageSize: number): AsyncGenerator<WalkedRow> {
    const shards = keys.registerShards().map((pk) => ({
      pk,
      buffer: [] as WalkedRow[],
      startKey: undefined as Record<string, unknown> | undefined,
      done: false,
    }));
    const refill = async (s: (typeof shards)[number]) => {
      while (s.buffer.length === 0 && !s.done) {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND sk > :after',
            ExpressionAttributeValues: { ':pk': s.pk, ':after': after },
            ProjectionExpression: 'sk, registeredOn, address',
            ExclusiveStartKey: s.startKey,
            Limit: pageSize,
          }),
        );
        s.buffer.push(
          ...(out.Items ?? []).map((i) => ({
            uscc: String(i.sk),
            dated: typeof i.registeredOn === 'string',
            addressed: typeof i.address === 'string',
          })),
        );
        s.startKey = out.LastEvaluatedKey;
        s.done = s.startKey === undefined;
      }
    };
    await Promise.all(shards.map(refill));
    for (;;) {
      let next: (typeof shards)[number] | undefined;
      for (const s of shards) {
        const head = s.buffer[0];
        if (head !== undefined && (next === undefined || head.uscc < (next.buffer[0] as WalkedRow).uscc)) {
          next = s;
        }
      }
      if (!next) return;
      yield next.buffer.shift() as WalkedRow;
      await refill(next);
    }
  }

  /** Keys the results of one institution (its `IR#<uscc>` partition of gsi1) that lack a campaign key. */
  async keyResultsOf(uscc: string): Promise<KeyingCount> {
    const count = noKeying();
    const items = (await queryAll(this.db, {
      TableName: this.table,
      ...partitionQuery(accessPatterns.resultsOfInstitution(uscc)),
      ProjectionExpression: 'pk, sk, id, assessedOn, district, createdAt, gsi3pk',
    })) as unknown as ResultKeySource[];
    for (const item of items) {
      count.examined++;
      if (item.gsi3pk !== undefined) continue;
      const keyed = await this.setKey(
        item,
        campaignResultKeys(item),
        'assessedOn = :assessedOn AND district = :district AND createdAt = :createdAt',
        { ':assessedOn': item.assessedOn, ':district': item.district, ':createdAt': item.createdAt },
      );
      if (keyed) count.keyed++;
      else count.raced++;
    }
    return count;
  }

  /**
   * The years each institution applied for an upgrade in (its PRIVATE item's `upgradeYears`), read
   * in batches; institutions without a private item are left out.
   */
  async upgradeYears(usccs: readonly string[]): Promise<Map<string, number[]>> {
    const items = await this.batchGet(
      [...new Set(usccs)].map((u) => keys.private(u)),
      'pk, upgradeYears',
    );
    return new Map(
      items.map((i) => [
        keys.usccOfInstitutionPk(String(i.pk)),
        Array.isArray(i.upgradeYears) ? (i.upgradeYears as number[]) : [],
      ]),
    );
  }

  /** Keys the upgrade applications with these ids (unknown ids are skipped) that lack a campaign key. */
  async keyApplications(ids: readonly string[]): Promise<KeyingCount> {
    const count = noKeying();
    const items = (await this.batchGet(
      [...new Set(ids)].map((id) => keys.upgradeApplication(id)),
      'pk, sk, id, uscc, #year, gsi3pk',
      { '#year': 'year' },
    )) as unknown as ApplicationKeySource[];
    for (const item of items) {
      count.examined++;
      if (item.gsi3pk !== undefined) continue;
      const keyed = await this.setKey(
        item,
        campaignApplicationKeys(item),
        'uscc = :uscc AND #year = :year',
        { ':uscc': item.uscc, ':year': item.year },
        { '#year': 'year' },
      );
      if (keyed) count.keyed++;
      else count.raced++;
    }
    return count;
  }

  /**
   * Gives rows written before `registeredOn` or `address` were kept what they lack from their profile:
   * one UpdateItem of those attributes alone, each set only while the row exists and still has none (a
   * row written since carries both, and a retry finds nothing to set). Each filled row then moves the
   * register version with its uscc, so the processes that keep the register in memory read it again.
   */
  async fillRows(rows: readonly WalkedRow[]): Promise<KeyingCount> {
    const count = noKeying();
    const lacking = new Map(rows.filter((r) => !r.dated || !r.addressed).map((r) => [r.uscc, r]));
    if (lacking.size === 0) return count;
    const profiles = await this.batchGet(
      [...lacking.keys()].map((u) => keys.profile(u)),
      'pk, registeredOn, address',
    );
    for (const profile of profiles) {
      count.examined++;
      const uscc = keys.usccOfInstitutionPk(String(profile.pk));
      const row = lacking.get(uscc) as WalkedRow;
      const lacks = { registeredOn: !row.dated, address: !row.addressed };
      const fill = (['registeredOn', 'address'] as const).filter(
        (f) => lacks[f] && typeof profile[f] === 'string',
      );
      if (fill.length === 0) continue;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.registerRow(uscc),
            UpdateExpression: `SET ${fill.map((f) => `#${f} = :${f}`).join(', ')}`,
            ConditionExpression: [
              'attribute_exists(pk)',
              ...fill.map((f) => `(attribute_not_exists(#${f}) OR attribute_type(#${f}, :null))`),
            ].join(' AND '),
            ExpressionAttributeNames: Object.fromEntries(fill.map((f) => [`#${f}`, f])),
            ExpressionAttributeValues: {
              ':null': 'NULL',
              ...Object.fromEntries(fill.map((f) => [`:${f}`, profile[f]])),
            },
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        count.raced++;
        continue;
      }
      await this.rows.bump(uscc);
      count.keyed++;
    }
    return count;
  }

  async progress(name: string): Promise<BackfillProgress | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.job(name), ConsistentRead: true }),
    );
    if (!out.Item) return null;
    return {
      after: String(out.Item.after ?? ''),
      passStartedAt: typeof out.Item.passStartedAt === 'string' ? out.Item.passStartedAt : null,
      institutions: Number(out.Item.institutions ?? 0),
      results: { ...noKeying(), ...(out.Item.results as KeyingCount | undefined) },
      applications: { ...noKeying(), ...(out.Item.applications as KeyingCount | undefined) },
      rows: { ...noKeying(), ...(out.Item.rows as KeyingCount | undefined) },
    };
  }

  /**
   * Moves the progress from `from` (what this run read) to `to`: a compare-and-set on `after`, so of
   * two overlapping runs only one moves it, and never backwards. False when another run moved it first.
   */
  async saveProgress(
    name: string,
    from: BackfillProgress | null,
    to: BackfillProgress & { updatedAt: string; lastPass?: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.job(name), job: name, ...to },
          ConditionExpression: from ? '#after = :after' : 'attribute_not_exists(pk)',
          ExpressionAttributeNames: from ? { '#after': 'after' } : undefined,
          ExpressionAttributeValues: from ? { ':after': from.after } : undefined,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private async setKey(
    item: { pk: string; sk: string },
    key: { gsi3pk: string; gsi3sk: string },
    stillTheSame: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET gsi3pk = :gsi3pk, gsi3sk = :gsi3sk',
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(gsi3pk) AND ${stillTheSame}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':gsi3pk': key.gsi3pk, ':gsi3sk': key.gsi3sk, ...values },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private batchGet(
    wanted: Array<{ pk: string; sk: string }>,
    projection: string,
    names?: Record<string, string>,
  ): Promise<Record<string, unknown>[]> {
    return batchGetAll(this.db, this.table, wanted, { projection, names });
  }
}
