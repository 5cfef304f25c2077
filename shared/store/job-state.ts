import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './dynamo.ts';
import { keys } from './keys.ts';

/** A scheduled job's watermark: the last day (or year) it completed. */
export interface JobState {
  lastDay: string;
  updatedAt: string;
}

/** Job watermarks under `JOB#<name>`; a watermark only ever moves forward. */
export class JobStateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(name: string): Promise<JobState | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.job(name), ConsistentRead: true }),
    );
    return out.Item ? { lastDay: String(out.Item.lastDay), updatedAt: String(out.Item.updatedAt) } : null;
  }

  /** Records `day` as done unless a later day already is (two overlapping runs never move it back). */
  async advance(name: string, day: string, now: Date): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.job(name), job: name, lastDay: day, updatedAt: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk) OR lastDay < :day',
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
}
