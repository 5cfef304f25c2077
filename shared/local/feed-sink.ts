import { appendFile } from 'node:fs/promises';
import type { Clock } from '../clock.ts';
import { describeChange, type PublicChangeEvent } from '../domain/change-events.ts';
import { shanghaiIso } from '../domain/dates.ts';
import type { FeedPublisher, PublishOutcome } from '../notify/feed-publisher.ts';

/**
 * The local stand-in for the public SNS topic: each change event becomes one line of the notice
 * sink (`DATA_DIR/notices.jsonl`, shown at /dev/notices), marked `channel: "feed"`.
 */
export class FileFeedSink implements FeedPublisher {
  constructor(
    private readonly path: string,
    private readonly clock: Clock,
  ) {}

  async publish(events: PublicChangeEvent[]): Promise<PublishOutcome> {
    if (events.length === 0) return { published: [], failed: [] };
    const at = shanghaiIso(this.clock.now());
    const lines = events.map((e) =>
      JSON.stringify({
        channel: 'feed',
        at,
        kind: e.type,
        uscc: e.uscc,
        district: e.district,
        text: describeChange(e),
        attributes: { type: e.type, district: e.district, uscc: e.uscc },
        event: e,
      }),
    );
    // One append per batch: a line is either wholly written or the batch is retried from the watermark.
    await appendFile(this.path, `${lines.join('\n')}\n`, 'utf8');
    return { published: events.map((e) => e.id), failed: [] };
  }
}
