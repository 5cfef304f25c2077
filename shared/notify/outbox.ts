import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.ts';
import type { Job, JobReport } from '../jobs/job.ts';
import { keys } from '../store/keys.ts';
import type { NoticeLogger } from './mask.ts';
import type { NoticeIntent, Notifier } from './port.ts';

/** How many parked batches one run of the outbox job re-sends at most. */
const BATCHES_PER_RUN = 200;

/**
 * Notice requests that could not be handed to the topic after a committed change: parked here, so the
 * request that made the change still succeeds and the notice is retried by the `notice-outbox` job
 * instead of being forgotten. Re-sending is safe: the senders' claims drop what was already delivered.
 */
export class NoticeOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async park(intents: NoticeIntent[], at: string, reason: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.outboxEntry(at, randomUUID()), intents, reason, parkedAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(limit: number): Promise<Array<{ sk: string; intents: NoticeIntent[] }>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.outboxPartition },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((i) => ({ sk: String(i.sk), intents: i.intents as NoticeIntent[] }));
  }

  async remove(sk: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: keys.outboxPartition, sk } }));
  }
}

/** A notifier that parks what the topic refused rather than failing a change that is already committed. */
export class OutboxNotifier implements Notifier {
  constructor(
    private readonly inner: Notifier,
    private readonly outbox: NoticeOutbox,
    private readonly clock: Clock,
    private readonly logger: NoticeLogger,
  ) {}

  async notify(intents: NoticeIntent[]): Promise<void> {
    try {
      await this.inner.notify(intents);
    } catch (err) {
      await this.outbox.park(intents, this.clock.now().toISOString(), String(err));
      this.logger.warn('notice requests parked in the outbox for retry', {
        intents: intents.length,
        error: String(err),
      });
    }
  }
}

/** The `notice-outbox` job: re-sends parked notice requests; what still fails stays parked. */
export function noticeOutboxJob(outbox: NoticeOutbox, notifier: Notifier): Job {
  return {
    name: 'notice-outbox',
    async run(date): Promise<JobReport> {
      const parked = await outbox.list(BATCHES_PER_RUN);
      let resent = 0;
      const failed: Array<{ id: string; reason: string }> = [];
      for (const entry of parked) {
        try {
          await notifier.notify(entry.intents);
          await outbox.remove(entry.sk);
          resent += entry.intents.length;
        } catch (err) {
          failed.push({ id: entry.sk, reason: String(err) });
        }
      }
      return { job: 'notice-outbox', date, batches: parked.length, resent, failed };
    },
  };
}
