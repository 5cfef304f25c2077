import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PublishBatchCommand,
  type PublishBatchCommandInput,
  type PublishBatchCommandOutput,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClientForFile } from '../support/aws-mock.ts';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { calendarFrom } from '#shared/bootstrap.ts';
import { fixedClock } from '#shared/clock.ts';
import type { District } from '#shared/domain/types.ts';
import { buildFeedRelayJob, FEED_RELAY_JOB, feedRelayJob } from '#shared/jobs/feed-relay.ts';
import { SnsFeedPublisher } from '#shared/notify/feed-publisher.ts';
import { EventStore } from '#shared/store/events.ts';
import { RelayWatermark } from '#shared/store/relay-watermark.ts';
import { testConfig } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

const TOPIC = 'arn:aws-cn:sns:cn-north-1:123456789012:yimei-credit-changes';
const NOW = '2026-11-23T10:00:00+08:00';
const sns = mockClientForFile(SNSClient);

type Entry = NonNullable<PublishBatchCommandInput['PublishBatchRequestEntries']>[number];
const entriesOf = (call: number) =>
  (sns.commandCalls(PublishBatchCommand)[call]!.args[0].input.PublishBatchRequestEntries ?? []) as Entry[];
const allOk = (input: PublishBatchCommandInput): PublishBatchCommandOutput => ({
  $metadata: {},
  Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
  Failed: [],
});

async function appendEvents(events: EventStore, n: number, from = 0) {
  const districts: District[] = ['西湖区', '滨江区', '余杭区'];
  for (let i = from; i < from + n; i++) {
    await events.append({
      key: `relay-test:${i}`,
      type: i % 2 === 0 ? 'published' : 'downgraded',
      uscc: '91330106MA2CFXKQ1P',
      district: districts[i % 3]!,
      occurredAt: NOW,
      before: { grade: 'A' },
      after: { grade: 'B', n: i },
    });
  }
}

describe('the feed relay', () => {
  const dynamo = useTestDynamo();

  beforeEach(() => {
    sns.reset();
  });

  async function setup() {
    const table = await dynamo.freshTable();
    const clock = fixedClock(NOW);
    const events = new EventStore(dynamo.db, table, () => clock.now());
    const watermark = new RelayWatermark(dynamo.db, table, FEED_RELAY_JOB);
    const job = feedRelayJob({
      events,
      watermark,
      publisher: new SnsFeedPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC),
      sleep: async () => {},
    });
    return { table, clock, events, watermark, job };
  }

  it('starts at the head, then publishes new events in order, 10 per call, with filterable attributes', async () => {
    const { events, job } = await setup();
    sns.on(PublishBatchCommand).callsFake(allOk);
    await appendEvents(events, 5);
    const first = await job.run('2026-11-23');
    expect(first).toMatchObject({ published: 0, watermark: 5, pending: 0 });
    expect(sns).not.toHaveReceivedCommand(PublishBatchCommand);

    await appendEvents(events, 23, 5);
    const second = await job.run('2026-11-23');
    expect(second).toMatchObject({ published: 23, watermark: 28, pending: 0, failed: [] });
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
    expect(
      sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries?.length),
    ).toEqual([10, 10, 3]);
    const entry = entriesOf(0)[0]!;
    expect(sns).toHaveReceivedCommandWith(PublishBatchCommand, { TopicArn: TOPIC });
    expect(entry.Id).toBe('e6');
    expect(entry.MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'downgraded' },
      district: { DataType: 'String', StringValue: '余杭区' },
      uscc: { DataType: 'String', StringValue: '91330106MA2CFXKQ1P' },
    });
    const message = JSON.parse(entry.Message!);
    expect(message).toMatchObject({ id: '6', type: 'downgraded', typeLabel: '等级下调', district: '余杭区' });
    const ids = sns
      .commandCalls(PublishBatchCommand)
      .flatMap((c) => (c.args[0].input.PublishBatchRequestEntries ?? []).map((e) => e.Id));
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => `e${i + 6}`));

    expect(await job.run('2026-11-23')).toMatchObject({ published: 0, watermark: 28 });
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
  });

  it('retries only the entries SNS failed and advances once they are published', async () => {
    const { events, job } = await setup();
    await job.run('2026-11-23');
    await appendEvents(events, 10);
    sns
      .on(PublishBatchCommand)
      .callsFakeOnce((input: PublishBatchCommandInput) => {
        const all = allOk(input);
        return {
          ...all,
          Successful: all.Successful!.filter((s) => s.Id !== 'e4' && s.Id !== 'e7'),
          Failed: [
            { Id: 'e4', Code: 'InternalError', Message: 'try again', SenderFault: false },
            { Id: 'e7', Code: 'Throttled', Message: 'slow down', SenderFault: false },
          ],
        };
      })
      .callsFake(allOk);
    const report = await job.run('2026-11-23');
    expect(report).toMatchObject({ published: 10, watermark: 10, failed: [] });
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
    expect(entriesOf(1).map((e) => e.Id)).toEqual(['e4', 'e7']);
  });

  it('moves the watermark only past the events published before a failure, and resumes there', async () => {
    const { events, job } = await setup();
    await job.run('2026-11-23');
    await appendEvents(events, 15);
    // Event 13 keeps failing (a sender fault is not retried); the rest of its batch is accepted.
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      const all = allOk(input);
      return {
        ...all,
        Successful: all.Successful!.filter((s) => s.Id !== 'e13'),
        Failed: (input.PublishBatchRequestEntries ?? [])
          .filter((e) => e.Id === 'e13')
          .map((e) => ({ Id: e.Id, Code: 'InvalidParameter', Message: 'bad', SenderFault: true })),
      };
    });
    const blocked = await job.run('2026-11-23');
    expect(blocked).toMatchObject({ published: 12, watermark: 12, pending: 3 });
    expect(blocked.failed).toEqual([{ id: '13', reason: 'InvalidParameter: bad' }]);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);

    sns.reset();
    sns.on(PublishBatchCommand).callsFake(allOk);
    const resumed = await job.run('2026-11-23');
    expect(resumed).toMatchObject({ published: 3, watermark: 15, pending: 0 });
    expect(entriesOf(0).map((e) => e.Id)).toEqual(['e13', 'e14', 'e15']);
  });

  it('keeps the watermark when the whole call fails, and publishes on the next run', async () => {
    const { events, job } = await setup();
    await job.run('2026-11-23');
    await appendEvents(events, 4);
    sns.on(PublishBatchCommand).rejects(new Error('network down'));
    const failed = await job.run('2026-11-23');
    expect(failed).toMatchObject({ published: 0, watermark: 0, pending: 4 });
    expect((failed.failed as unknown[]).length).toBe(4);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);

    sns.reset();
    sns.on(PublishBatchCommand).callsFake(allOk);
    expect(await job.run('2026-11-23')).toMatchObject({ published: 4, watermark: 4 });
  });

  it('does nothing while another run holds the lease, and takes over once it has expired', async () => {
    const { events, watermark, job } = await setup();
    sns.on(PublishBatchCommand).callsFake(allOk);
    await job.run('2026-11-23');
    await appendEvents(events, 3);
    const held = await watermark.acquire({
      owner: 'crashed-run',
      now: new Date(),
      until: new Date(Date.now() + 60_000),
      initialSeq: 0,
    });
    expect(held).toBe(0);
    expect(await job.run('2026-11-23')).toMatchObject({ skipped: expect.any(String), published: 0 });
    expect(sns).not.toHaveReceivedCommand(PublishBatchCommand);

    const later = feedRelayJob({
      events,
      watermark,
      publisher: new SnsFeedPublisher(new SNSClient({ region: 'cn-north-1' }), TOPIC),
      leaseClock: () => new Date(Date.now() + 5 * 60_000),
    });
    expect(await later.run('2026-11-23')).toMatchObject({ published: 3, watermark: 3 });
  });

  it('locally appends each pushed event to the notice sink as a feed line with its Chinese text', async () => {
    const table = await dynamo.freshTable();
    const dataDir = await mkdtemp(join(tmpdir(), 'relay-'));
    try {
      const config = testConfig({ TABLE_NAME: table });
      const clock = fixedClock(NOW);
      const job = buildFeedRelayJob({
        config,
        db: dynamo.db,
        clock,
        calendar: calendarFrom(config),
        dataDir,
      });
      const events = new EventStore(dynamo.db, table, () => clock.now());
      await job.run('2026-11-23');
      await appendEvents(events, 3);
      expect(await job.run('2026-11-23')).toMatchObject({ published: 3 });
      const lines = (await readFile(join(dataDir, 'notices.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatchObject({
        channel: 'feed',
        kind: 'published',
        district: '西湖区',
        attributes: { type: 'published', district: '西湖区' },
        event: { id: '1', type: 'published' },
      });
      expect(lines[0].text).toContain('正式公布');
      expect(lines[0].text).toContain('B级规范机构');
      expect(sns).not.toHaveReceivedCommand(PublishBatchCommand);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
