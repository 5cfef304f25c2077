import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Contacts } from '#shared/domain/model.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import { NoticeMessageSchema } from '#shared/notify/message.ts';
import type { NoticeIntent } from '#shared/notify/port.ts';
import { NoticePublishError, SnsNotifier } from '#shared/notify/sns-notifier.ts';

const TOPIC = 'arn:aws-cn:sns:cn-north-1:123456789012:notices';
const sns = mockClient(SNSClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => sns.restore());

function intent(n: number, kind: NoticeIntent['kind'] = 'review_due_30'): NoticeIntent {
  return { uscc: `U${n}`, kind, cycle: '2027-01-10', params: { due: '2027-01-10' }, on: '2026-12-11' };
}

function notifier(
  contacts: Record<string, Contacts>,
  guidance: Contacts = { phones: [], wechatOpenIds: [] },
) {
  return new SnsNotifier({
    sns: new SNSClient({ region: 'cn-north-1' }),
    topicArn: TOPIC,
    contacts: {
      resolve: async (usccs) => new Map(usccs.flatMap((u) => (contacts[u] ? [[u, contacts[u]]] : []))),
    },
    guidance,
    logger: silentLogger,
    sleep: async () => {},
  });
}

const both = (n: number): Contacts => ({
  phones: [`1390000${String(n).padStart(4, '0')}`],
  wechatOpenIds: [`oOPENID_${n}_abcdef`],
});

describe('SnsNotifier', () => {
  beforeEach(() => sns.reset());

  it('fans out one message per channel and address, 10 entries per PublishBatch, with channel and kind attributes', async () => {
    sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: Array<{ Id: string }> }) => ({
      Successful: input.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
      Failed: [],
    }));
    const contacts = Object.fromEntries(Array.from({ length: 12 }, (_, n) => [`U${n}`, both(n)]));
    const n = notifier(contacts);
    await n.notify(Array.from({ length: 12 }, (_, i) => intent(i)));
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
    const calls = sns.commandCalls(PublishBatchCommand);
    const entries = calls.flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
    expect(entries).toHaveLength(24);
    expect(calls.every((c) => (c.args[0].input.PublishBatchRequestEntries?.length ?? 0) <= 10)).toBe(true);
    const first = entries[0]!;
    const body = NoticeMessageSchema.parse(JSON.parse(first.Message ?? ''));
    expect(first.MessageAttributes?.channel?.StringValue).toBe(body.channel);
    expect(first.MessageAttributes?.kind?.StringValue).toBe('review_due_30');
    expect(entries.filter((e) => e.MessageAttributes?.channel?.StringValue === 'sms')).toHaveLength(12);
    expect(sns).toHaveReceivedCommandWith(PublishBatchCommand, { TopicArn: TOPIC });
    expect(n.stats.messagesPublished).toBe(24);
  });

  it('retries only the entries that failed transiently, and succeeds', async () => {
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: '0', MessageId: 'a' }],
        Failed: [{ Id: '1', Code: 'Throttling', SenderFault: false, Message: 'rate exceeded' }],
      })
      .resolves({ Successful: [{ Id: '1', MessageId: 'b' }], Failed: [] });
    const n = notifier({ U1: both(1) });
    await n.notify([intent(1)]);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
    const retry = sns.commandCalls(PublishBatchCommand)[1]!.args[0].input.PublishBatchRequestEntries;
    expect(retry?.map((e) => e.Id)).toEqual(['1']);
  });

  it('retries a throttled call as a whole', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sns
      .on(PublishBatchCommand)
      .rejectsOnce(throttled)
      .resolves({ Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] });
    await notifier({ U1: both(1) }).notify([intent(1)]);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
  });

  it('does not retry an entry the sender got wrong, and fails the run naming it', async () => {
    sns.on(PublishBatchCommand).resolves({
      Successful: [{ Id: '0' }],
      Failed: [{ Id: '1', Code: 'InvalidParameter', SenderFault: true, Message: 'bad' }],
    });
    const err = await notifier({ U1: both(1) })
      .notify([intent(1)])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoticePublishError);
    expect((err as NoticePublishError).failures).toHaveLength(1);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
  });

  it('gives up after the last attempt when an entry keeps failing', async () => {
    sns
      .on(PublishBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(
      notifier({ U1: { phones: ['13900000001'], wechatOpenIds: [] } }).notify([intent(1)]),
    ).rejects.toThrow(NoticePublishError);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 5);
  });

  it('addresses publicity_ended to the guidance group, and reports institutions without contacts', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
    const n = notifier({}, { phones: ['13800000000'], wechatOpenIds: [] });
    await n.notify([intent(1, 'publicity_ended'), intent(2)]);
    const entries = sns.commandCalls(PublishBatchCommand)[0]!.args[0].input.PublishBatchRequestEntries ?? [];
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.Message ?? '')).toMatchObject({
      kind: 'publicity_ended',
      to: '13800000000',
      uscc: 'U1',
    });
    expect(n.stats.unreachable).toBe(1);
  });

  it('publishes nothing for no intents', async () => {
    await notifier({}).notify([]);
    expect(sns).not.toHaveReceivedCommand(PublishBatchCommand);
  });
});
