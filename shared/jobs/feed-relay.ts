import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { type PublicChangeEvent, publicChangeEvent } from '../domain/change-events.ts';
import type { LocalDate } from '../domain/types.ts';
import { FileFeedSink } from '../local/feed-sink.ts';
import { type FeedPublisher, PUBLISH_BATCH_SIZE, SnsFeedPublisher } from '../notify/feed-publisher.ts';
import { EventStore } from '../store/events.ts';
import { RelayWatermark } from '../store/relay-watermark.ts';
import type { JobDeps } from './index.ts';
import type { Job, JobReport } from './job.ts';

export const FEED_RELAY_JOB = 'feed-relay';

export interface FeedRelayOptions {
  events: EventStore;
  watermark: RelayWatermark;
  publisher: FeedPublisher;
  /** How long a run may hold the relay before another may take over (extended at every step). */
  leaseMs?: number;
  /**
   * Wall time for the lease. Not the service clock: a fixed `--now` must not freeze a crashed run's
   * lease forever.
   */
  leaseClock?: () => Date;
  /** Events pushed per run at most; the next run continues. */
  maxEvents?: number;
  /** Attempts per batch, the first included, for entries SNS says may succeed on retry. */
  attempts?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Failure {
  id: string;
  reason: string;
}

const READ_CHUNK = 100;

/**
 * Pushes change events to the public topic, in sequence order, from the relay's own watermark.
 * Crash-safe: the watermark moves (conditionally, under a lease) only past a contiguous run of
 * events that the publisher confirmed one by one, so a crash or a failed entry means those events
 * are pushed again by the next run, never skipped. Delivery is therefore at least once; subscribers
 * de-duplicate by the event `id`. A first run ever starts at the feed's head: history is in the
 * pull feed, push carries what happens from then on.
 */
export function feedRelayJob(opts: FeedRelayOptions): Job {
  return { name: FEED_RELAY_JOB, run: (date) => relayOnce(opts, date) };
}

async function relayOnce(o: FeedRelayOptions, date: LocalDate): Promise<JobReport> {
  const leaseMs = o.leaseMs ?? 60_000;
  const maxEvents = o.maxEvents ?? 2_000;
  const owner = randomUUID();
  const wall = o.leaseClock ?? (() => new Date());
  const until = () => new Date(wall().getTime() + leaseMs);
  const headSeq = await o.events.headSeq();
  const acquired = await o.watermark.acquire({
    owner,
    now: wall(),
    until: until(),
    initialSeq: headSeq,
  });
  if (acquired === null) {
    return { job: FEED_RELAY_JOB, date, skipped: 'another run holds the relay lease', published: 0 };
  }
  let seq = acquired;
  let published = 0;
  const failures: Failure[] = [];
  let leaseLost = false;
  try {
    walk: while (seq < headSeq && published < maxEvents) {
      const chunk = await o.events.range({
        from: seq,
        to: headSeq,
        limit: Math.min(READ_CHUNK, maxEvents - published),
      });
      const contiguous: PublicChangeEvent[] = [];
      for (const e of chunk) {
        if (e.seq !== seq + contiguous.length + 1) break;
        contiguous.push(publicChangeEvent(e));
      }
      if (contiguous.length === 0) break;
      for (let i = 0; i < contiguous.length; i += PUBLISH_BATCH_SIZE) {
        const batch = contiguous.slice(i, i + PUBLISH_BATCH_SIZE);
        const { done, failed } = await publishWithRetry(o, batch);
        let to = seq;
        for (const e of batch) {
          if (!done.has(e.id)) break;
          to = Number(e.id);
        }
        if (to > seq) {
          const moved = await o.watermark.advance({
            owner,
            from: seq,
            to,
            until: until(),
            at: wall(),
          });
          if (!moved) {
            leaseLost = true;
            break walk;
          }
          published += to - seq;
          seq = to;
        }
        if (failed.length > 0) {
          failures.push(...failed);
          break walk;
        }
      }
      if (contiguous.length < chunk.length) break;
    }
  } finally {
    if (!leaseLost) await o.watermark.release(owner);
  }
  return {
    job: FEED_RELAY_JOB,
    date,
    published,
    watermark: seq,
    pending: Math.max(0, headSeq - seq),
    failed: failures,
    ...(leaseLost ? { leaseLost: true } : {}),
  };
}

/** Publishes a batch, retrying only the entries that failed and may succeed on retry. */
async function publishWithRetry(o: FeedRelayOptions, batch: PublicChangeEvent[]) {
  const attempts = o.attempts ?? 3;
  const backoffMs = o.backoffMs ?? 200;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const done = new Set<string>();
  const final = new Map<string, string>();
  let pending = batch;
  for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
    const outcome = await o.publisher.publish(pending);
    for (const id of outcome.published) {
      done.add(id);
      final.delete(id);
    }
    const retry = new Set<string>();
    for (const f of outcome.failed) {
      final.set(f.id, f.reason);
      if (f.retryable) retry.add(f.id);
    }
    pending = pending.filter((e) => retry.has(e.id));
  }
  const failed = batch
    .filter((e) => !done.has(e.id))
    .map((e) => ({ id: e.id, reason: final.get(e.id) ?? 'not published' }));
  return { done, failed };
}

/**
 * The relay as the process runs it: locally into the notice sink, in AWS to the topic named by
 * FEED_TOPIC_ARN (a run without it fails loudly rather than silently dropping pushes).
 */
export function buildFeedRelayJob(deps: Omit<JobDeps, 'notifier'>, sns?: SNSClient): Job {
  const { config, db, clock } = deps;
  let publisher: FeedPublisher;
  if (deps.dataDir) {
    publisher = new FileFeedSink(join(deps.dataDir, 'notices.jsonl'), clock);
  } else if (config.FEED_TOPIC_ARN) {
    publisher = new SnsFeedPublisher(
      sns ?? new SNSClient({ region: config.AWS_REGION }),
      config.FEED_TOPIC_ARN,
    );
  } else {
    publisher = {
      publish: () =>
        Promise.reject(new Error('invalid configuration: FEED_TOPIC_ARN is required to push change events')),
    };
  }
  return feedRelayJob({
    events: new EventStore(db, config.TABLE_NAME, () => clock.now()),
    watermark: new RelayWatermark(db, config.TABLE_NAME, FEED_RELAY_JOB),
    publisher,
  });
}
