import { PublishBatchCommand, type PublishBatchCommandOutput, type SNSClient } from '@aws-sdk/client-sns';
import type { PublicChangeEvent } from '../domain/change-events.ts';

/** SNS takes at most 10 messages per PublishBatch call. */
export const PUBLISH_BATCH_SIZE = 10;

/** What happened to each event of one publish call, by event id. */
export interface PublishOutcome {
  published: string[];
  failed: Array<{
    id: string;
    reason: string /** false: retrying the same message cannot help. */;
    retryable: boolean;
  }>;
}

/** Where the relay pushes change events: the public SNS topic in AWS, the notice sink locally. */
export interface FeedPublisher {
  /** Publishes up to PUBLISH_BATCH_SIZE events; reports every event as published or failed. */
  publish(events: PublicChangeEvent[]): Promise<PublishOutcome>;
}

/**
 * The public change-event topic. Each message is the feed item as JSON, with the attributes
 * `type`, `district` and `uscc` that subscription filter policies match on.
 */
export class SnsFeedPublisher implements FeedPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(events: PublicChangeEvent[]): Promise<PublishOutcome> {
    if (events.length > PUBLISH_BATCH_SIZE)
      throw new RangeError(`at most ${PUBLISH_BATCH_SIZE} events per call`);
    if (events.length === 0) return { published: [], failed: [] };
    const entryId = (e: PublicChangeEvent) => `e${e.id}`;
    const byEntry = new Map(events.map((e) => [entryId(e), e.id]));
    let out: PublishBatchCommandOutput;
    try {
      out = await this.sns.send(
        new PublishBatchCommand({
          TopicArn: this.topicArn,
          PublishBatchRequestEntries: events.map((e) => ({
            Id: entryId(e),
            Message: JSON.stringify(e),
            MessageAttributes: {
              type: { DataType: 'String', StringValue: e.type },
              district: { DataType: 'String', StringValue: e.district },
              uscc: { DataType: 'String', StringValue: e.uscc },
            },
          })),
        }),
      );
    } catch (err) {
      // The whole call failed (after the SDK's own retries): nothing of it counts as published.
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { published: [], failed: events.map((e) => ({ id: e.id, reason, retryable: true })) };
    }
    const published = (out.Successful ?? [])
      .map((s) => (s.Id ? byEntry.get(s.Id) : undefined))
      .filter((id): id is string => id !== undefined);
    const failed = (out.Failed ?? []).flatMap((f) => {
      const id = f.Id ? byEntry.get(f.Id) : undefined;
      if (id === undefined) return [];
      return [{ id, reason: `${f.Code ?? 'Error'}: ${f.Message ?? ''}`, retryable: f.SenderFault !== true }];
    });
    // An entry SNS reported neither way is not known to be published: treat it as failed.
    const reported = new Set([...published, ...failed.map((f) => f.id)]);
    for (const e of events) {
      if (!reported.has(e.id)) failed.push({ id: e.id, reason: 'not reported by SNS', retryable: true });
    }
    return { published, failed };
  }
}
