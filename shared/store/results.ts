import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleWriteError } from '../domain/errors.ts';
import type { GradingResult } from '../domain/model.ts';
import { isConditionFailure } from './dynamo.ts';
import { accessPatterns, keys, partitionQuery, publicityIndexKeys, resultIndexKeys } from './keys.ts';
import { type Page, queryAll, stripKeys } from './page.ts';
import { compareStored, withWriteToken } from './retry-check.ts';

/**
 * Grading results. A result changes only through `replace`, conditional on the version and status it
 * was read at, so of two racing steps exactly one applies and a retried step cannot apply twice.
 */
export class ResultStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<GradingResult | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.result(id), ConsistentRead: true }),
    );
    return out.Item ? stripKeys<GradingResult>(out.Item) : null;
  }

  async create(result: GradingResult): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item(result),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`result ${result.id} already exists`);
      throw err;
    }
  }

  /** Writes `next` (version + 1) only if the stored result is still `previous`. */
  async replace(previous: GradingResult, next: Omit<GradingResult, 'version'>): Promise<GradingResult> {
    const stored: GradingResult = { ...next, version: previous.version + 1 };
    // Tells this call's own write from an identical one by a racing caller, which must still lose.
    const written = withWriteToken(item(stored));
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: written,
          ConditionExpression: 'version = :v AND #status = :s',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':v': previous.version, ':s': previous.status },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // The SDK retried this very write after its answer was lost: it is done.
      if ((await compareStored(this.db, this.table, keys.result(stored.id), written)) !== 'mine') {
        throw new StaleWriteError(
          `result ${previous.id} was changed concurrently (it was ${previous.status})`,
        );
      }
    }
    return stored;
  }

  /** Every result of one institution, oldest first. */
  async listForInstitution(uscc: string): Promise<GradingResult[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      ...partitionQuery(accessPatterns.resultsOfInstitution(uscc)),
    });
    return items.map((i) => stripKeys<GradingResult>(i));
  }

  /** Results now in publicity, by publicity end date (a sparse index: only those items carry it). */
  async listInPublicity(args: {
    endingOnOrBefore?: string;
    startKey: Record<string, unknown> | null;
    limit: number;
  }): Promise<Page<GradingResult>> {
    const inPublicity = accessPatterns.resultsInPublicity();
    const values: Record<string, unknown> = { ':pk': inPublicity.pk };
    let condition = 'gsi2pk = :pk';
    if (args.endingOnOrBefore) {
      values[':end'] = `${args.endingOnOrBefore}#\uffff`;
      condition += ' AND gsi2sk <= :end';
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: inPublicity.IndexName,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: args.startKey ?? undefined,
        Limit: args.limit,
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => stripKeys<GradingResult>(i)),
      lastKey: out.LastEvaluatedKey ?? null,
    };
  }

  /**
   * Results in the publicity index after `position` (an `endOn#id` sort key, see `publicityIndexKeys`),
   * so the public list starts at today's entries and never reads publicities that have already ended.
   */
  async listInPublicityAfter(
    position: string,
    limit: number,
  ): Promise<{ items: GradingResult[]; more: boolean }> {
    const inPublicity = accessPatterns.resultsInPublicity();
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: inPublicity.IndexName,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk > :after',
        ExpressionAttributeValues: { ':pk': inPublicity.pk, ':after': position },
        Limit: limit,
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => stripKeys<GradingResult>(i)),
      more: out.LastEvaluatedKey !== undefined,
    };
  }

  /**
   * Every result assessed in `year` (the yearly campaign), optionally of one district only: a paged
   * Query of the campaign partition, so the cost follows the campaign's results, not the register.
   */
  async listForCampaign(year: number, district?: string): Promise<GradingResult[]> {
    const campaign = accessPatterns.campaignResults(year);
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: campaign.IndexName,
      KeyConditionExpression: district ? 'gsi3pk = :pk AND begins_with(gsi3sk, :d)' : 'gsi3pk = :pk',
      ExpressionAttributeValues: {
        ':pk': campaign.pk,
        ...(district ? { ':d': `${district}#` } : {}),
      },
    });
    return items.map((i) => stripKeys<GradingResult>(i));
  }
}

function item(r: GradingResult): Record<string, unknown> {
  return {
    ...keys.result(r.id),
    ...resultIndexKeys(r),
    ...(r.status === 'in_publicity' && r.publicity
      ? publicityIndexKeys({ endOn: r.publicity.endOn, id: r.id })
      : {}),
    ...r,
  };
}
