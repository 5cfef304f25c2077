import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClientForFile } from '../../support/aws-mock.ts';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { NoticeClaimStore } from '#shared/notify/claims.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { ContactDirectory } from '#shared/notify/contacts.ts';
import { deliverNotice } from '#shared/notify/delivery.ts';
import { LocalNotifier } from '#shared/notify/local-notifier.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import type { NoticeMessage } from '#shared/notify/message.ts';
import type { NoticeKind } from '#shared/notify/port.ts';
import { createQueueHandler } from '#shared/notify/queue-handler.ts';
import { smsDelivery } from '#shared/notify/senders.ts';
import { DynamoSmsSpend, type SmsLimitName } from '#shared/notify/sms-spend.ts';
import { keys } from '#shared/store/keys.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { MemorySender, noticeEvent } from '../../support/notices.ts';

const sns = mockClientForFile(SNSClient);

function event(messages: NoticeMessage[], receiveCount = 1): SQSEvent {
  return noticeEvent(messages, { receiveCount });
}

const A = '91330106MA2CFXKQ1P';
const B = '91330105MA28XY0L9K';

function sms(uscc: string, kind: NoticeKind, on = '2026-11-23', to = '13900000001'): NoticeMessage {
  return { v: 1, uscc, kind, cycle: 'r-1', channel: 'sms', to, params: { grade: 'B', score: 90 }, on };
}

describe('SMS spend limits: a cap per institution per day and a monthly budget that stop sending', () => {
  const dynamo = useTestDynamo();
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'x' });
  });

  async function senderLambda(limits: { daily: number; monthly: number }) {
    const table = await dynamo.freshTable();
    const withheld: SmsLimitName[] = [];
    const handler = createQueueHandler({
      channel: 'sms',
      delivery: smsDelivery({
        env: { TABLE_NAME: table, AWS_REGION: 'cn-north-1' },
        notifyConfig: loadNotifyConfig({
          SMS_DAILY_LIMIT_PER_INSTITUTION: String(limits.daily),
          SMS_MONTHLY_LIMIT: String(limits.monthly),
        }),
        db: dynamo.db,
        sns: new SNSClient({ region: 'cn-north-1' }),
        logger: silentLogger,
        onSmsWithheld: (limit) => withheld.push(limit),
      }),
    });
    const claims = new NoticeClaimStore(dynamo.db, table);
    const count = async (key: { pk: string; sk: string }) =>
      Number(
        (await dynamo.db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item
          ?.n ?? 0,
      );
    return { table, handler, claims, withheld, count };
  }

  it('withholds the SMS past the daily cap, records why, and reports it', async () => {
    const { handler, claims, withheld, count } = await senderLambda({ daily: 2, monthly: 100 });
    const notices = [sms(A, 'downgraded'), sms(A, 'result_published'), sms(A, 'upgrade_refused')];
    expect((await handler(event(notices))).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    const third = await claims.get(notices[2] as NoticeMessage);
    expect(third).toMatchObject({ state: 'withheld' });
    expect(third?.reason).toMatch(/daily cap of 2 SMS on 2026-11-23/);
    expect(withheld).toEqual(['institution_daily_cap']);
    expect(await count(keys.smsSpendInstitutionDay(A, '2026-11-23'))).toBe(2);
    // Regulators' notice list (GET /v1/admin/institutions/{uscc}/notices) shows it, and only notices.
    const listed = (await claims.list(A, null, 50)).items;
    expect(listed.map((n) => n.state).sort()).toEqual(['sent', 'sent', 'withheld']);
    // The next day the institution may be sent SMS again.
    expect((await handler(event([sms(A, 'review_due_7', '2026-11-24')]))).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
  });

  it('counts a redelivered notice once, whether it was sent, withheld or failed in between', async () => {
    const { handler, claims, count } = await senderLambda({ daily: 2, monthly: 100 });
    sns
      .on(PublishCommand)
      .resolvesOnce({ MessageId: 'a' })
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ MessageId: 'b' });
    const first = sms(A, 'downgraded');
    const second = sms(A, 'result_published');
    expect((await handler(event([first]))).batchItemFailures).toEqual([]);
    expect((await handler(event([second]))).batchItemFailures).toHaveLength(1);
    expect(await claims.get(second)).toMatchObject({ state: 'retrying' });
    // The retry is the same notice: it is neither counted again nor stopped by the cap of 2.
    expect((await handler(event([second], 2))).batchItemFailures).toEqual([]);
    expect((await handler(event([first, second], 3))).batchItemFailures).toEqual([]);
    expect(await claims.get(second)).toMatchObject({ state: 'sent' });
    expect(await count(keys.smsSpendInstitutionDay(A, '2026-11-23'))).toBe(2);
    expect(await count(keys.smsSpendCityDay('2026-11-23'))).toBe(2);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
  });

  it('stops every institution once the month is spent, over all of its days, and gives back the daily unit', async () => {
    const { handler, claims, withheld, count } = await senderLambda({ daily: 5, monthly: 3 });
    const spent = [sms(A, 'downgraded', '2026-11-02'), sms(A, 'result_published', '2026-11-20')];
    expect((await handler(event(spent))).batchItemFailures).toEqual([]);
    const onB = [sms(B, 'downgraded'), sms(B, 'result_published'), sms(B, 'upgrade_refused')];
    expect((await handler(event(onB))).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
    const last = await claims.get(onB[2] as NoticeMessage);
    expect(last).toMatchObject({ state: 'withheld' });
    expect(last?.reason).toMatch(/monthly budget of 3 SMS for 2026-11 is spent/);
    expect(withheld).toEqual(['monthly_budget', 'monthly_budget']);
    expect(await count(keys.smsSpendInstitutionDay(B, '2026-11-23'))).toBe(1);
    // A withheld notice redelivered stays withheld and is not counted again.
    expect((await handler(event(onB, 2))).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
    expect(await count(keys.smsSpendInstitutionDay(B, '2026-11-23'))).toBe(1);
    // A new month has a new budget.
    expect((await handler(event([sms(B, 'review_due_7', '2026-12-01')]))).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 4);
  });

  it('never lets racing senders pass the cap: of 12 notices sent at once exactly the cap goes out', async () => {
    const table = await dynamo.freshTable();
    const claims = new NoticeClaimStore(dynamo.db, table);
    const spend = new DynamoSmsSpend(dynamo.db, table, { dailyPerInstitution: 3, monthly: 100 });
    const sender = new MemorySender('sms');
    const notices = Array.from({ length: 12 }, (_, i) =>
      sms(A, 'downgraded', '2026-11-23', `1390000${String(i).padStart(4, '0')}`),
    );
    const outcomes = await Promise.all(
      notices.map((m) =>
        deliverNotice(m, {
          claims,
          sender,
          now: () => new Date('2026-11-23T02:00:00Z'),
          logger: silentLogger,
          leaseMs: 60_000,
          smsSpend: spend,
        }),
      ),
    );
    expect(sender.sent).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'withheld')).toHaveLength(9);
  });

  it('keeps WeChat going for an institution whose SMS are withheld', async () => {
    const table = await dynamo.freshTable();
    const wechat = new MemorySender('wechat');
    const smsOut = new MemorySender('sms');
    const notifier = new LocalNotifier({
      contacts: new ContactDirectory(dynamo.db, table),
      claims: new NoticeClaimStore(dynamo.db, table),
      senders: { wechat, sms: smsOut },
      guidance: { phones: [], wechatOpenIds: [] },
      logger: silentLogger,
      now: () => new Date('2026-11-23T02:00:00Z'),
      smsSpend: new DynamoSmsSpend(dynamo.db, table, { dailyPerInstitution: 1, monthly: 100 }),
    });
    const contacts = { phones: ['13900000001'], wechatOpenIds: ['oOK_openid_000001'] };
    const intent = (kind: NoticeKind) => ({
      uscc: A,
      kind,
      cycle: 'r-1',
      params: {},
      on: '2026-11-23',
      contacts,
    });
    await notifier.notify([intent('downgraded'), intent('result_published')]);
    expect(wechat.sent.map((m) => m.kind)).toEqual(['downgraded', 'result_published']);
    expect(smsOut.sent.map((m) => m.kind)).toEqual(['downgraded']);
    expect(notifier.stats).toMatchObject({ sent: 3, withheld: 1 });
  });
});
