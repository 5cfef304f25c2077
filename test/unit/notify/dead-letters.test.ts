import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { scheduledRunner } from '#shared/jobs/scheduled-run.ts';
import {
  DEAD_LETTERS_JOB,
  deadLetterRoutes,
  deadLettersJob,
  moveDeadLetters,
} from '#shared/notify/dead-letters.ts';
import { memoryQueues } from '../../support/queues.ts';

const DLQ = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/wechat-dead-letters';
const SOURCE = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/wechat-notices';
const SMS_DLQ = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/sms-dead-letters';
const SMS_SOURCE = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/sms-notices';
const ENV = {
  WECHAT_DEAD_LETTER_QUEUE_URL: DLQ,
  WECHAT_NOTICE_QUEUE_URL: SOURCE,
  SMS_DEAD_LETTER_QUEUE_URL: SMS_DLQ,
  SMS_NOTICE_QUEUE_URL: SMS_SOURCE,
};
const route = { name: 'wechat-notices', from: DLQ, to: SOURCE };
const channel = { channel: { DataType: 'String', StringValue: 'wechat' } };

describe('moving dead-lettered notices back to their queue', () => {
  let queues: ReturnType<typeof memoryQueues>;
  beforeEach(() => {
    queues = memoryQueues();
  });

  it('puts every message back with its body and attributes, then deletes it from the dead-letter queue', async () => {
    for (let i = 0; i < 23; i++) queues.put(DLQ, `{"n":${i}}`, channel);
    const report = await moveDeadLetters(queues.client, route);
    expect(report).toEqual({ name: 'wechat-notices', moved: 23, failed: 0, undeleted: 0, more: false });
    expect(queues.messages(DLQ)).toEqual([]);
    expect(queues.messages(SOURCE).map((m) => m.body)).toEqual(
      Array.from({ length: 23 }, (_, i) => `{"n":${i}}`),
    );
    expect(queues.messages(SOURCE).every((m) => m.attributes.channel?.StringValue === 'wechat')).toBe(true);
    // Ten at a time, each received message hidden long enough for the run, with its attributes.
    expect(queues.mock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
    expect(queues.mock).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: DLQ,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 300,
      MessageAttributeNames: ['All'],
    });
  });

  it('is idempotent: a second move finds nothing and sends nothing', async () => {
    queues.put(DLQ, '{"n":1}');
    await moveDeadLetters(queues.client, route);
    queues.mock.resetHistory();
    expect(await moveDeadLetters(queues.client, route)).toMatchObject({ moved: 0, failed: 0 });
    expect(queues.mock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
    expect(queues.messages(SOURCE)).toHaveLength(1);
  });

  it('leaves a message the source queue refused in the dead-letter queue, and deletes only what was sent', async () => {
    for (let i = 0; i < 3; i++) queues.put(DLQ, `{"n":${i}}`);
    queues.refuseSends(1);
    const report = await moveDeadLetters(queues.client, route);
    expect(report).toMatchObject({ moved: 2, failed: 1, undeleted: 0 });
    expect(queues.messages(DLQ).map((m) => m.body)).toEqual(['{"n":0}']);
    expect(queues.mock).toHaveReceivedCommandWith(DeleteMessageBatchCommand, {
      QueueUrl: DLQ,
      Entries: [
        { Id: '0', ReceiptHandle: expect.any(String) },
        { Id: '1', ReceiptHandle: expect.any(String) },
      ],
    });
    // Once its visibility ends, the next move takes it.
    queues.expireVisibility();
    expect(await moveDeadLetters(queues.client, route)).toMatchObject({ moved: 1, failed: 0 });
    expect(queues.messages(DLQ)).toEqual([]);
  });

  it('stops at its limit and says there may be more', async () => {
    for (let i = 0; i < 25; i++) queues.put(DLQ, `{"n":${i}}`);
    expect(await moveDeadLetters(queues.client, route, 12)).toMatchObject({ moved: 12, more: true });
    expect(queues.messages(DLQ).filter((m) => !m.inFlight)).toHaveLength(13);
  });

  it('runs as the on-demand dead-letters job over both channels; a refused send fails the run for the alarm', async () => {
    queues.put(DLQ, '{"n":1}');
    queues.put(SMS_DLQ, '{"n":2}');
    queues.put(SMS_DLQ, '{"n":3}');
    const run = scheduledRunner(
      [deadLettersJob(queues.client, ENV)],
      fixedClock('2026-12-01T10:00:00+08:00'),
      { info: () => {} },
    );
    const report = await run({ job: DEAD_LETTERS_JOB });
    expect(report.queues).toEqual([
      { name: 'wechat-notices', moved: 1, failed: 0, undeleted: 0, more: false },
      { name: 'sms-notices', moved: 2, failed: 0, undeleted: 0, more: false },
    ]);
    expect(queues.messages(SMS_SOURCE)).toHaveLength(2);

    queues.put(DLQ, '{"n":4}');
    queues.refuseSends(1);
    await expect(run({ job: DEAD_LETTERS_JOB })).rejects.toThrow(/dead-letters: 1 item\(s\) failed/);
  });
});

describe('the dead-letter routes in the environment', () => {
  it('pairs each channel’s dead-letter queue with its notice queue', () => {
    expect(deadLetterRoutes(ENV)).toEqual([
      { name: 'wechat-notices', from: DLQ, to: SOURCE },
      { name: 'sms-notices', from: SMS_DLQ, to: SMS_SOURCE },
    ]);
    // Locally there are no queues: nothing to move.
    expect(deadLetterRoutes({})).toEqual([]);
  });

  it('names each variable that is missing or not a queue URL', () => {
    expect(() => deadLetterRoutes({ WECHAT_DEAD_LETTER_QUEUE_URL: DLQ })).toThrow(
      /^invalid configuration: WECHAT_NOTICE_QUEUE_URL: must be a queue URL/,
    );
    expect(() => deadLetterRoutes({ ...ENV, SMS_NOTICE_QUEUE_URL: 'sms-notices' })).toThrow(
      /SMS_NOTICE_QUEUE_URL/,
    );
  });
});
