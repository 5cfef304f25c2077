import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../store/dynamo.ts';
import { keys } from '../store/keys.ts';
import { describeMessage, type NoticeMessage } from './message.ts';

/** How many SMS may go out: per institution per day, and across the service per calendar month. */
export interface SmsLimits {
  dailyPerInstitution: number;
  monthly: number;
}

export type SmsLimitName = 'institution_daily_cap' | 'monthly_budget';

export type SpendDecision =
  | { status: 'granted' }
  | { status: 'withheld'; limit: SmsLimitName; reason: string };

/** Decides, once per notice, whether an SMS may still be sent. */
export interface SmsSpendGuard {
  reserve(message: NoticeMessage): Promise<SpendDecision>;
}

/** Counter items outlive the month they count by a year, for the operator to look back on. */
const KEEP_SECONDS = 400 * 86_400;

type Key = { pk: string; sk: string };

/**
 * SMS spend counted in DynamoDB, so the limits hold across every sender instance. Each counter item
 * keeps, next to its count, the set of notices it has counted: the conditional write adds a notice
 * only if it is not in the set and the count is below the limit, so a redelivered message is never
 * counted twice and two racing senders cannot both take the last unit.
 *
 * The day is the notice's own day (`on`, +08:00), so a redelivery after midnight lands on the same
 * items. The monthly budget is kept as one item per day (a month-long set would outgrow an item): a
 * day's item may grow up to the budget less what the month's other days have spent. Only notices of
 * different days sent at the same moment can pass the budget, by at most the sender's concurrency.
 */
export class DynamoSmsSpend implements SmsSpendGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly limits: SmsLimits,
  ) {}

  async reserve(m: NoticeMessage): Promise<SpendDecision> {
    const id = spendId(m);
    const institutionDay = keys.smsSpendInstitutionDay(m.uscc, m.on);
    if (!(await this.count(institutionDay, id, this.limits.dailyPerInstitution, m.on))) {
      return {
        status: 'withheld',
        limit: 'institution_daily_cap',
        reason: `SMS withheld: this institution's daily cap of ${this.limits.dailyPerInstitution} SMS on ${m.on} is reached`,
      };
    }
    const room = this.limits.monthly - (await this.spentOnOtherDays(m.on));
    if (!(await this.count(keys.smsSpendCityDay(m.on), id, room, m.on))) {
      // Not sent, so not spent: the institution's day gets its unit back.
      await this.release(institutionDay, id);
      return {
        status: 'withheld',
        limit: 'monthly_budget',
        reason: `SMS withheld: the monthly budget of ${this.limits.monthly} SMS for ${m.on.slice(0, 7)} is spent`,
      };
    }
    return { status: 'granted' };
  }

  /** Counts the notice on this item unless the item is full; true when it is counted (now or before). */
  private async count(key: Key, id: string, limit: number, day: string): Promise<boolean> {
    if (limit > 0) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: 'ADD #n :one, ids :ids SET expiresAt = :exp',
            ConditionExpression:
              '(attribute_not_exists(#n) OR #n < :limit) AND (attribute_not_exists(ids) OR NOT contains(ids, :id))',
            ExpressionAttributeNames: { '#n': 'n' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':ids': new Set([id]),
              ':id': id,
              ':limit': limit,
              ':exp': expiresAt(day),
            },
          }),
        );
        return true;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true, ProjectionExpression: 'ids' }),
    );
    const ids = out.Item?.ids as Set<string> | undefined;
    return ids?.has(id) ?? false;
  }

  private async release(key: Key, id: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'ADD #n :minus DELETE ids :ids',
          ConditionExpression: 'contains(ids, :id)',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':minus': -1, ':ids': new Set([id]), ':id': id },
        }),
      );
    } catch (err) {
      // Released already (a redelivery of the same refusal): nothing to give back.
      if (!isConditionFailure(err)) throw err;
    }
  }

  /** SMS counted on the month's other days: one Query over at most 31 small items. */
  private async spentOnOtherDays(day: string): Promise<number> {
    const month = day.slice(0, 7);
    const own = keys.smsSpendCityDay(day).sk;
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.smsSpendCityPartition,
            ':from': `${keys.smsSpendDayPrefix}${month}-01`,
            ':to': `${keys.smsSpendDayPrefix}${month}-31`,
          },
          ExpressionAttributeNames: { '#n': 'n' },
          ProjectionExpression: 'sk, #n',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) if (item.sk !== own) total += Number(item.n ?? 0);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return total;
  }
}

/** A short, stable id of one notice to one phone (the claim's identity, hashed). */
export function spendId(m: NoticeMessage): string {
  return createHash('sha256').update(describeMessage(m)).digest('base64url').slice(0, 16);
}

function expiresAt(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00+08:00`) / 1000) + KEEP_SECONDS;
}

/** Metrics (namespace of the function, `service` dimension) counting SMS withheld, by limit. */
export const SMS_WITHHELD_METRICS: Readonly<Record<SmsLimitName, string>> = {
  institution_daily_cap: 'SmsWithheldDailyCap',
  monthly_budget: 'SmsWithheldMonthlyBudget',
};

/** The same guard, telling `report` of every SMS it withholds (the sender turns that into a metric). */
export function reportingWithheld(
  guard: SmsSpendGuard,
  report: (limit: SmsLimitName) => void,
): SmsSpendGuard {
  return {
    async reserve(message) {
      const decision = await guard.reserve(message);
      if (decision.status === 'withheld') report(decision.limit);
      return decision;
    },
  };
}
