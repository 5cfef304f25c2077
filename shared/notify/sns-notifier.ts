import {
  type BatchResultErrorEntry,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { Contacts } from '../domain/model.ts';
import type { ContactLookup } from './contacts.ts';
import { fanOutResolved } from './fanout.ts';
import type { NoticeLogger } from './mask.ts';
import type { NoticeMessage } from './message.ts';
import type { NoticeIntent, Notifier } from './port.ts';

/** SNS takes at most 10 entries per PublishBatch. */
export const PUBLISH_BATCH_SIZE = 10;
const CONCURRENT_BATCHES = 4;

const RETRYABLE_ERRORS = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'InternalError',
  'InternalErrorException',
  'ServiceUnavailable',
  'KMSThrottlingException',
]);

/** Some notice requests could not be published; the caller's run fails and is repeated (claims dedupe). */
export class NoticePublishError extends Error {
  constructor(readonly failures: Array<{ notice: string; code: string; message: string }>) {
    super(
      `${failures.length} notice request(s) could not be published: ${failures.map((f) => `${f.notice} ${f.code}`).join(', ')}`,
    );
    this.name = 'NoticePublishError';
  }
}

export interface SnsNotifierOptions {
  sns: SNSClient;
  topicArn: string;
  contacts: ContactLookup;
  guidance: Contacts;
  logger: NoticeLogger;
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The production notifier: resolves contacts from the PRIVATE items, fans out one message per
 * channel and address, and publishes them with PublishBatch (10 a call) with message attributes
 * `channel` and `kind`, which the subscription filter policies route to one queue per channel.
 * Every entry's result is checked; failed entries that may succeed later are retried with
 * exponential backoff and jitter.
 */
export class SnsNotifier implements Notifier {
  /** Figures for logs and benchmarks. */
  readonly stats = { publishBatchCalls: 0, messagesPublished: 0, unreachable: 0 };

  constructor(private readonly opts: SnsNotifierOptions) {}

  async notify(intents: NoticeIntent[]): Promise<void> {
    if (intents.length === 0) return;
    const { messages, unreachable } = await fanOutResolved(intents, this.opts);
    this.stats.unreachable += unreachable.length;
    const batches: NoticeMessage[][] = [];
    for (let i = 0; i < messages.length; i += PUBLISH_BATCH_SIZE)
      batches.push(messages.slice(i, i + PUBLISH_BATCH_SIZE));
    const failures: NoticePublishError['failures'] = [];
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++] as NoticeMessage[];
        failures.push(...(await this.publishBatch(batch)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_BATCHES, batches.length) }, worker));
    if (failures.length > 0) throw new NoticePublishError(failures);
  }

  /** Publishes up to 10 messages; returns the ones that failed for good. */
  private async publishBatch(batch: NoticeMessage[]): Promise<NoticePublishError['failures']> {
    const maxAttempts = this.opts.maxAttempts ?? 5;
    const byId = new Map(batch.map((m, i) => [String(i), m]));
    let pending: PublishBatchRequestEntry[] = batch.map((m, i) => entry(String(i), m));
    const failed: NoticePublishError['failures'] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      let errors: BatchResultErrorEntry[];
      try {
        this.stats.publishBatchCalls++;
        const out = await this.opts.sns.send(
          new PublishBatchCommand({ TopicArn: this.opts.topicArn, PublishBatchRequestEntries: pending }),
        );
        errors = out.Failed ?? [];
        this.stats.messagesPublished += out.Successful?.length ?? pending.length - errors.length;
      } catch (err) {
        const code = (err as Error).name;
        if (!RETRYABLE_ERRORS.has(code) || attempt >= maxAttempts) throw err;
        await this.backoff(attempt);
        continue;
      }
      const retry: PublishBatchRequestEntry[] = [];
      for (const e of errors) {
        const original = pending.find((p) => p.Id === e.Id);
        const message = byId.get(e.Id ?? '');
        if (!original || !message) continue;
        if (!e.SenderFault && attempt < maxAttempts) retry.push(original);
        else
          failed.push({
            notice: `${message.uscc}#${message.kind}#${message.cycle}#${message.channel}`,
            code: e.Code ?? 'unknown',
            message: e.Message ?? '',
          });
      }
      pending = retry;
      if (pending.length > 0) {
        this.opts.logger.warn('PublishBatch entries failed; retrying', {
          attempt,
          entries: pending.length,
          codes: errors.map((e) => e.Code),
        });
        await this.backoff(attempt);
      }
    }
    return failed;
  }

  private async backoff(attempt: number) {
    const base = this.opts.baseDelayMs ?? 100;
    const delay = Math.min(5_000, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    await (this.opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(delay);
  }
}

function entry(id: string, m: NoticeMessage): PublishBatchRequestEntry {
  return {
    Id: id,
    Message: JSON.stringify(m),
    MessageAttributes: {
      channel: { DataType: 'String', StringValue: m.channel },
      kind: { DataType: 'String', StringValue: m.kind },
    },
  };
}
