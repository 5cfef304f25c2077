import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InstitutionPrivate, InstitutionProfile } from '../domain/model.ts';
import { type PendingResult, pendingOf } from '../domain/register-row.ts';
import type { District, Grade, Kind, LocalDate } from '../domain/types.ts';
import { accessPatterns, INDEX, keys, partitionQuery } from './keys.ts';
import { type Page, stripKeys } from './page.ts';
import { RegisterRows } from './register-rows.ts';

/** What a list or search returns per institution (from an index item, no further read). */
export interface InstitutionSummary {
  uscc: string;
  name: string;
  kind: Kind;
  district: District;
  grade: Grade | null;
  score: number | null;
  closed: boolean;
  closedOn: LocalDate | null;
  /** The result in publicity, if any (whether its publicity has begun is for the caller to judge). */
  publicity: PendingResult | null;
}

export interface ListFilter {
  district?: District;
  grade?: Grade | 'UNGRADED';
  kind?: Kind;
}

export interface ReadOptions {
  /** Report consumed read units to this callback (benchmarks). */
  onCapacity?: (units: number) => void;
}

/** Read side of the institution register: the public request path uses only this. */
export class InstitutionReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: ReadOptions = {},
  ) {}

  private track<T extends { ConsumedCapacity?: { CapacityUnits?: number } }>(out: T): T {
    this.opts.onCapacity?.(out.ConsumedCapacity?.CapacityUnits ?? 0);
    return out;
  }

  private get capacity() {
    return this.opts.onCapacity ? ('TOTAL' as const) : undefined;
  }

  /** The detail page in one GetItem. */
  async getProfile(uscc: string, consistent = false): Promise<InstitutionProfile | null> {
    const out = this.track(
      await this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: keys.profile(uscc),
          ConsistentRead: consistent,
          ReturnConsumedCapacity: this.capacity,
        }),
      ),
    );
    return out.Item ? stripKeys<InstitutionProfile>(out.Item) : null;
  }

  async getPrivate(uscc: string): Promise<InstitutionPrivate | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.private(uscc), ConsistentRead: true }),
    );
    return out.Item ? stripKeys<InstitutionPrivate>(out.Item) : null;
  }

  /** The compact register rows of the same table (search, statistics, export). */
  get rows(): RegisterRows {
    return new RegisterRows(this.db, this.table, this.opts);
  }

  /** Institutions in name order, through the index that fits the filter. */
  async list(args: {
    filter: ListFilter;
    startKey: Record<string, unknown> | null;
    limit: number;
  }): Promise<Page<InstitutionSummary & { key: Record<string, unknown> }>> {
    const { filter } = args;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions: string[] = [];
    let index: string;
    let keyCondition: string;
    const gradeKey = filter.grade === 'UNGRADED' ? 'U' : filter.grade;
    if (filter.district) {
      const byDistrict = accessPatterns.institutionsByDistrict(filter.district);
      index = byDistrict.IndexName;
      values[':pk'] = byDistrict.pk;
      keyCondition = `${byDistrict.pkName} = :pk`;
      if (gradeKey) {
        values[':g'] = `${gradeKey}#`;
        keyCondition += ' AND begins_with(gsi1sk, :g)';
      }
      addFilter({ kind: filter.kind }, conditions, names, values);
    } else if (gradeKey) {
      const byGrade = accessPatterns.institutionsByGrade(gradeKey);
      index = byGrade.IndexName;
      values[':pk'] = byGrade.pk;
      keyCondition = `${byGrade.pkName} = :pk`;
      addFilter({ kind: filter.kind }, conditions, names, values);
    } else {
      throw new RangeError('list needs a district or a grade; use listKind for the whole register');
    }
    const out = this.track(
      await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: keyCondition,
          FilterExpression: conditions.length > 0 ? conditions.join(' AND ') : undefined,
          ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: args.startKey ?? undefined,
          Limit: args.limit,
          ReturnConsumedCapacity: this.capacity,
        }),
      ),
    );
    return {
      items: (out.Items ?? []).map((item) => ({ ...summaryOf(item), key: indexKey(item, index) })),
      lastKey: out.LastEvaluatedKey ?? null,
    };
  }

  /** One page of the whole-register index for one kind (gsi3 `INST#<kind>`), optionally projected. */
  private async queryKind(args: {
    kind: Kind;
    startKey: Record<string, unknown> | null;
    limit?: number;
    projection?: { expression: string; names?: Record<string, string> };
  }): Promise<Page<Record<string, unknown>>> {
    const out = this.track(
      await this.db.send(
        new QueryCommand({
          TableName: this.table,
          ...partitionQuery(accessPatterns.institutionsOfKind(args.kind)),
          ProjectionExpression: args.projection?.expression,
          ExpressionAttributeNames: args.projection?.names,
          ExclusiveStartKey: args.startKey ?? undefined,
          Limit: args.limit,
          ReturnConsumedCapacity: this.capacity,
        }),
      ),
    );
    return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey ?? null };
  }

  /** Every institution of one kind in name order (the whole-register index, one partition per kind). */
  async listKind(args: {
    kind: Kind;
    startKey: Record<string, unknown> | null;
    limit: number;
  }): Promise<Page<InstitutionProfile & { key: Record<string, unknown> }>> {
    const page = await this.queryKind(args);
    return {
      items: page.items.map((item) => ({
        ...stripKeys<InstitutionProfile>(item),
        key: indexKey(item, INDEX.kindsAndCampaigns),
      })),
      lastKey: page.lastKey,
    };
  }

  /**
   * One page of the whole-register index for one kind, projected to what a list shows. (Read units are
   * charged on the whole item; the projection only saves bandwidth.)
   */
  async listKindSummaries(args: {
    kind: Kind;
    startKey: Record<string, unknown> | null;
    limit: number;
  }): Promise<Page<InstitutionSummary & { key: Record<string, unknown> }>> {
    const page = await this.queryKind({
      ...args,
      projection: {
        expression:
          'pk, sk, gsi3pk, gsi3sk, uscc, #name, kind, district, grade, score, closed, closedOn, publicity',
        names: { '#name': 'name' },
      },
    });
    return {
      items: page.items.map((item) => ({ ...summaryOf(item), key: indexKey(item, INDEX.kindsAndCampaigns) })),
      lastKey: page.lastKey,
    };
  }

  /** One page (up to 1 MB read) of district, grade and closed flag of every institution of a kind. */
  async gradeRows(args: {
    kind: Kind;
    startKey: Record<string, unknown> | null;
  }): Promise<Page<{ district: District; grade: Grade | null; closed: boolean }>> {
    const page = await this.queryKind({ ...args, projection: { expression: 'district, grade, closed' } });
    return {
      items: page.items.map((item) => ({
        district: item.district as District,
        grade: (item.grade as Grade | null | undefined) ?? null,
        closed: Boolean(item.closed),
      })),
      lastKey: page.lastKey,
    };
  }
}

function addFilter(
  filter: ListFilter,
  conditions: string[],
  names: Record<string, string>,
  values: Record<string, unknown>,
) {
  if (filter.district) {
    names['#district'] = 'district';
    values[':district'] = filter.district;
    conditions.push('#district = :district');
  }
  if (filter.grade) {
    names['#grade'] = 'gradeKey';
    values[':grade'] = filter.grade === 'UNGRADED' ? 'U' : filter.grade;
    conditions.push('#grade = :grade');
  }
  if (filter.kind) {
    names['#kind'] = 'kind';
    values[':kind'] = filter.kind;
    conditions.push('#kind = :kind');
  }
}

function summaryOf(item: Record<string, unknown>): InstitutionSummary {
  return {
    uscc: String(item.uscc),
    name: String(item.name),
    kind: item.kind as Kind,
    district: item.district as District,
    grade: (item.grade as Grade | null | undefined) ?? null,
    score: (item.score as number | null | undefined) ?? null,
    closed: Boolean(item.closed),
    closedOn: (item.closedOn as LocalDate | null | undefined) ?? null,
    publicity: pendingOf(item.publicity as PendingResult | null | undefined),
  };
}

function indexKey(item: Record<string, unknown>, index: string): Record<string, unknown> {
  return { pk: item.pk, sk: item.sk, [`${index}pk`]: item[`${index}pk`], [`${index}sk`]: item[`${index}sk`] };
}
