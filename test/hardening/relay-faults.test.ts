import {
  PublishBatchCommand,
  type PublishBatchCommandInput,
  type PublishBatchCommandOutput,
  SNSClient,
} from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { FEED_RELAY_JOB, feedRelayJob } from '#shared/jobs/feed-relay.ts';
import { SnsFeedPublisher } from '#shared/notify/feed-publisher.ts';
import { EventStore } from '#shared/store/events.ts';
import { RelayWatermark } from '#shared/store/relay-watermark.ts';
import { mockClientForFile } from '../support/aws-mock.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { FAULT_MODES, type FaultMode, faultyClient, nthFault } from './support/fault-injection.ts';

const TOPIC = 'arn:aws-cn:sns:cn-north-1:123456789012:yimei-credit-changes';
const EVENTS = 25;
const sns = mockClientForFile(SNSClient);

/** SNS accepts every entry but, on its first call, fails every third one (retryable). */
function partlyFailingSns(published: string[]) {
  let call = 0;
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput): PublishBatchCommandOutput => {
    call += 1;
    const entries = input.PublishBatchRequestEntries ?? [];
    const failing = call === 1 ? entries.filter((_, i) => i % 3 === 2) : [];
    const ok = entries.filter((e) => !failing.includes(e));
    published.push(...ok.map((e) => String(e.Id).slice(1)));
    return {
      $metadata: {},
      Successful: ok.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
      Failed: failing.map((e) => ({
        Id: e.Id,
        Code: 'InternalError',
        SenderFault: false,
        Message: 'try again',
      })),
    };
  });
}

describe('the feed relay under DynamoDB faults and partial SNS failures', () => {
  const dynamo = useTestDynamo();

  beforeEach(() => {
    sns.reset();
  });

  async function setup() {
    const table = await dynamo.freshTable();
    const faults = faultyClient(dynamo.db);
    const wall = { now: new Date('2026-11-23T02:00:00Z') };
    const healthyEvents = new EventStore(dynamo.db, table);
    const job = feedRelayJob({
      events: new EventStore(faults.db, table),
      watermark: new RelayWatermark(faults.db, table, FEED_RELAY_JOB),
      publisher: new SnsFeedPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC),
      leaseClock: () => wall.now,
      sleep: async () => {},
    });
    sns.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
    await job.run('2026-11-23'); // the first run starts at the (empty) head
    for (let i = 0; i < EVENTS; i++) {
      await healthyEvents.append({
        key: `relay-fault:${i}`,
        type: 'published',
        uscc: '91330106MA2CFXKQ1P',
        district: '西湖区',
        occurredAt: '2026-11-23T10:00:00.000+08:00',
        before: null,
        after: { grade: 'B', n: i },
      });
    }
    return { job, faults, wall };
  }

  it('pushes every event at least once and ends at the head, whichever call fails', async () => {
    const probe = await setup();
    sns.reset();
    partlyFailingSns([]);
    probe.faults.disarm();
    await probe.job.run('2026-11-23');
    const calls = [...probe.faults.calls];
    expect(calls.length).toBeGreaterThan(3);
    let n = 0;
    for (let at = 0; at < calls.length; at++) {
      const mode = FAULT_MODES[at % 2] as FaultMode;
      const fault = nthFault(n++);
      const { job, faults: f, wall } = await setup();
      sns.reset();
      const published: string[] = [];
      partlyFailingSns(published);
      f.arm({ at, fault, mode });
      const label = `${fault} ${mode} at call ${at} (${calls[at]})`;
      const first = await job.run('2026-11-23').catch((err: Error) => ({ error: err.name }));
      f.disarm();
      // A run that died holding the lease is taken over once the lease has expired.
      wall.now = new Date(wall.now.getTime() + 61_000);
      const second = await job.run('2026-11-23');
      expect(second, `${label}; first run: ${JSON.stringify(first)}`).toMatchObject({
        watermark: EVENTS,
        pending: 0,
      });
      const expected = Array.from({ length: EVENTS }, (_, i) => String(i + 1));
      expect(new Set(published), label).toEqual(new Set(expected));
    }
  });
});
