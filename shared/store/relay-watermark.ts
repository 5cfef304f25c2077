import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './dynamo.ts';
import { keys } from './keys.ts';

/**
 * The relay's bookmark in the change feed (`JOB#<name>`): the last sequence number pushed, plus a
 * lease so that two runs (an overlapping schedule, a retry) never push at the same time. A crashed
 * run's lease simply expires; its watermark still says where to resume.
 */
export class RelayWatermark {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly name: string,
  ) {}

  /**
   * Takes the lease until `until` if it is free, expired or already ours. The first run ever starts
   * at `initialSeq`. Returns the watermark, or null when another run holds the lease.
   */
  async acquire(args: { owner: string; now: Date; until: Date; initialSeq: number }): Promise<number | null> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.job(this.name),
          UpdateExpression: 'SET #seq = if_not_exists(#seq, :init), leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
          ExpressionAttributeNames: { '#seq': 'seq' },
          ExpressionAttributeValues: {
            ':init': args.initialSeq,
            ':owner': args.owner,
            ':until': args.until.toISOString(),
            ':now': args.now.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Number(out.Attributes?.seq ?? args.initialSeq);
    } catch (err) {
      if (isConditionFailure(err)) return null;
      throw err;
    }
  }

  /**
   * Moves the watermark from `from` to `to` and extends the lease, only while we still hold it and
   * nobody moved the watermark meanwhile. False means the lease was lost: stop.
   */
  async advance(args: { owner: string; from: number; to: number; until: Date; at: Date }): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.job(this.name),
          UpdateExpression: 'SET #seq = :to, leaseUntil = :until, advancedAt = :at',
          ConditionExpression: 'leaseOwner = :owner AND #seq = :from',
          ExpressionAttributeNames: { '#seq': 'seq' },
          ExpressionAttributeValues: {
            ':to': args.to,
            ':from': args.from,
            ':owner': args.owner,
            ':until': args.until.toISOString(),
            ':at': args.at.toISOString(),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Gives the lease back so the next run need not wait for it to expire. */
  async release(owner: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.job(this.name),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
}
