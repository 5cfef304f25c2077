import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { mockClientForFile } from '../../support/aws-mock.ts';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AliyunSmsApi } from '#shared/notify/aliyun-sms.ts';
import { NoticeClaimStore } from '#shared/notify/claims.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import type { NoticeMessage } from '#shared/notify/message.ts';
import { createQueueHandler } from '#shared/notify/queue-handler.ts';
import { smsDelivery, weChatDelivery } from '#shared/notify/senders.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { noticeEvent } from '../../support/notices.ts';

const secrets = mockClientForFile(SecretsManagerClient);
const sns = mockClientForFile(SNSClient);

function event(messages: NoticeMessage[], receiveCount = 1): SQSEvent {
  return noticeEvent(messages, { receiveCount, enveloped: true });
}

const base = {
  v: 1 as const,
  uscc: '91330106MA2CFXKQ1P',
  cycle: 'r-1',
  params: { grade: 'B', score: 90 },
  on: '2026-11-23',
};

describe('the sender Lambdas wired as in AWS (Secrets Manager, WeChat stub, SNS SMS, claims in dynalite)', () => {
  const dynamo = useTestDynamo();
  let server: Server;
  let baseUrl: string;
  const wechatSends: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (url.pathname === '/cgi-bin/stable_token')
          return res.end(JSON.stringify({ access_token: 'T', expires_in: 7200 }));
        const touser = String(JSON.parse(raw).touser);
        wechatSends.push(touser);
        res.end(
          JSON.stringify(
            touser.startsWith('oREFUSED')
              ? { errcode: 43101, errmsg: 'user refuse' }
              : { errcode: 0, msgid: 1 },
          ),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    secrets.reset();
    sns.reset();
    wechatSends.length = 0;
  });

  it('wechat-sender: credentials from Secrets Manager, one send per notice, refusals terminal', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ appId: 'wxA', appSecret: 'S' }) });
    const table = await dynamo.freshTable();
    const notifyConfig = loadNotifyConfig({
      WECHAT_API_BASE: baseUrl,
      WECHAT_SECRET_ARN: 'wechat/app',
      WECHAT_TEMPLATE_ID: 'TPL',
    });
    const handler = createQueueHandler({
      channel: 'wechat',
      delivery: weChatDelivery({
        env: { TABLE_NAME: table, AWS_REGION: 'cn-north-1' },
        notifyConfig,
        db: dynamo.db,
        secrets: new SecretsManagerClient({ region: 'cn-north-1' }),
        logger: silentLogger,
      }),
    });
    const ok = {
      ...base,
      kind: 'result_published' as const,
      channel: 'wechat' as const,
      to: 'oOK_openid_000001',
    };
    const refused = { ...ok, to: 'oREFUSED_openid_01' };
    expect((await handler(event([ok, refused]))).batchItemFailures).toEqual([]);
    expect((await handler(event([ok, refused], 2))).batchItemFailures).toEqual([]);
    expect(wechatSends.sort()).toEqual(['oOK_openid_000001', 'oREFUSED_openid_01']);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    const claims = new NoticeClaimStore(dynamo.db, table);
    expect(await claims.get(refused)).toMatchObject({ state: 'failed_terminal' });
  });

  it('sms-sender: a transactional SNS Publish per notice; a throttled one is reported for retry', async () => {
    sns
      .on(PublishCommand)
      .resolvesOnce({ MessageId: 'a' })
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ MessageId: 'b' });
    const table = await dynamo.freshTable();
    const handler = createQueueHandler({
      channel: 'sms',
      delivery: smsDelivery({
        env: { TABLE_NAME: table, AWS_REGION: 'cn-north-1' },
        notifyConfig: loadNotifyConfig({ SMS_SENDER_ID: 'HZWJ', SMS_TEMPLATE_ID: 'T1' }),
        db: dynamo.db,
        sns: new SNSClient({ region: 'cn-north-1' }),
        logger: silentLogger,
      }),
    });
    const first = { ...base, kind: 'downgraded' as const, channel: 'sms' as const, to: '13900000001' };
    const second = { ...first, to: '13900000002' };
    const out = await handler(event([first]));
    expect(out.batchItemFailures).toEqual([]);
    expect((await handler(event([second]))).batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect((await handler(event([second], 2))).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, { PhoneNumber: '+8613900000002' });
  });
  it('sms-sender over Aliyun: sent once however often the queue redelivers; refused numbers given up', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ accessKeyId: 'AK1', accessKeySecret: 'secret' }) });
    const sent: string[] = [];
    const api: AliyunSmsApi = {
      async sendSms(request) {
        const phone = request.phoneNumbers ?? '';
        if (phone.endsWith('9')) return { body: { code: 'isv.MOBILE_NUMBER_ILLEGAL' } };
        sent.push(phone);
        return { body: { code: 'OK', bizId: `biz-${sent.length}` } };
      },
    };
    const table = await dynamo.freshTable();
    const handler = createQueueHandler({
      channel: 'sms',
      delivery: smsDelivery({
        env: { TABLE_NAME: table, AWS_REGION: 'cn-north-1' },
        notifyConfig: loadNotifyConfig({
          SMS_PROVIDER: 'aliyun',
          SMS_SIGN_NAME: '杭州卫健医美信用',
          SMS_TEMPLATE_CODES: JSON.stringify({ YM_DOWNGRADED: 'SMS_465000010' }),
          SMS_SECRET_ARN: 'sms-secret',
        }),
        db: dynamo.db,
        sns: new SNSClient({ region: 'cn-north-1' }),
        secrets: new SecretsManagerClient({ region: 'cn-north-1' }),
        newAliyunApi: () => api,
        logger: silentLogger,
      }),
    });
    const ok = { ...base, kind: 'downgraded' as const, channel: 'sms' as const, to: '13900000001' };
    const refused = { ...ok, to: '13900000009' };
    expect((await handler(event([ok, refused]))).batchItemFailures).toEqual([]);
    expect((await handler(event([ok, refused], 2))).batchItemFailures).toEqual([]);
    expect(sent).toEqual(['13900000001']);
    const claims = new NoticeClaimStore(dynamo.db, table);
    expect(await claims.get(ok)).toMatchObject({ state: 'sent' });
    expect(await claims.get(refused)).toMatchObject({ state: 'failed_terminal' });
  });
});
