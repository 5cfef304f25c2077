import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import type { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AliyunSmsApi,
  AliyunSmsProvider,
  aliyunApiFromSecret,
  classifyAliyunCode,
  newAliyunClient,
} from '#shared/notify/aliyun-sms.ts';
import { SmsSender } from '#shared/notify/sms.ts';
import { smsReminder } from '../../support/notice-messages.ts';

const secrets = mockClient(SecretsManagerClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => secrets.restore());

const message = smsReminder();

/** A fake of the SDK client: answers from a script, records each request. */
function fakeApi(...answers: ({ code: string; bizId?: string } | Error)[]) {
  const requests: SendSmsRequest[] = [];
  const api: AliyunSmsApi = {
    async sendSms(request) {
      requests.push(request);
      const next = answers.shift();
      if (!next) throw new Error('no scripted answer');
      if (next instanceof Error) throw next;
      return { body: { ...next, message: next.code } };
    },
  };
  return { api, requests };
}

function sender(
  api: AliyunSmsApi,
  templateCodes: Record<string, string> = { YM_REVIEW_DUE_7: 'SMS_465000007' },
) {
  return new SmsSender(
    new AliyunSmsProvider({ signName: '杭州卫健医美信用', templateCodes, api: async () => api }),
  );
}

describe('SmsSender over Aliyun SMS', () => {
  it('sends the registered signature, Aliyun template code and variables to the 11-digit number', async () => {
    const { api, requests } = fakeApi({ code: 'OK', bizId: 'biz-1' });
    expect(await sender(api).send({ ...message, to: '+8613912345678' })).toEqual({
      status: 'sent',
      providerId: 'biz-1',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      phoneNumbers: '13912345678',
      signName: '杭州卫健医美信用',
      templateCode: 'SMS_465000007',
    });
    expect(JSON.parse(requests[0]?.templateParam ?? '')).toEqual({ name: '贵机构', due: '2027-01-10' });
  });

  it('gives up on a number or content Aliyun refuses for good', async () => {
    const { api } = fakeApi({ code: 'isv.MOBILE_NUMBER_ILLEGAL' });
    expect(await sender(api).send(message)).toEqual({
      status: 'terminal',
      reason: 'SMS refused: isv.MOBILE_NUMBER_ILLEGAL',
    });
    const thrown = fakeApi(Object.assign(new Error('bad params'), { code: 'isv.INVALID_PARAMETERS' }));
    expect(await sender(thrown.api).send(message)).toMatchObject({ status: 'terminal' });
  });

  it('throws (the queue retries) on throttling, balance, account and unknown codes, and on transport errors', async () => {
    for (const code of [
      'isv.BUSINESS_LIMIT_CONTROL',
      'isv.AMOUNT_NOT_ENOUGH',
      'isp.SYSTEM_ERROR',
      'whatever',
    ]) {
      await expect(sender(fakeApi({ code }).api).send(message)).rejects.toThrow(code);
    }
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    await expect(sender(fakeApi(reset).api).send(message)).rejects.toThrow('socket hang up');
  });

  it('does not call Aliyun for a template without a registered code, and keeps the message for a retry', async () => {
    const { api, requests } = fakeApi({ code: 'OK' });
    await expect(sender(api, {}).send(message)).rejects.toThrow(/YM_REVIEW_DUE_7 has no Aliyun code/);
    expect(requests).toEqual([]);
  });

  it('classifies codes into sent, give-up and retry', () => {
    expect(classifyAliyunCode('OK')).toBe('sent');
    expect(classifyAliyunCode('isv.BLACK_KEY_CONTROL_LIMIT')).toBe('give-up');
    expect(classifyAliyunCode('isv.DAY_LIMIT_CONTROL')).toBe('retry');
    expect(classifyAliyunCode(undefined)).toBe('retry');
  });
});

describe('Aliyun credentials from Secrets Manager', () => {
  beforeEach(() => secrets.reset());

  it('reads the secret once per TTL and rebuilds the client only when the AccessKey changes', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ accessKeyId: 'AK1', accessKeySecret: 's1' }) })
      .resolvesOnce({ SecretString: JSON.stringify({ accessKeyId: 'AK1', accessKeySecret: 's1' }) })
      .resolves({ SecretString: JSON.stringify({ accessKeyId: 'AK2', accessKeySecret: 's2' }) });
    let clock = 0;
    const built: string[] = [];
    const api = aliyunApiFromSecret(new SecretsManagerClient({ region: 'cn-north-1' }), 'sms-secret', {
      ttlMs: 1000,
      now: () => clock,
      newApi: (c) => {
        built.push(c.accessKeyId);
        return fakeApi().api;
      },
    });
    const first = await api();
    expect(await api()).toBe(first);
    clock = 2000;
    expect(await api()).toBe(first);
    clock = 4000;
    expect(await api()).not.toBe(first);
    expect(built).toEqual(['AK1', 'AK2']);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 3);
  });

  it('names the secret, never its value, when it is not the expected JSON', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ accessKeyId: 'AK1' }) });
    const api = aliyunApiFromSecret(new SecretsManagerClient({ region: 'cn-north-1' }), 'sms-secret');
    await expect(api()).rejects.toThrow('secret sms-secret lacks accessKeyId or accessKeySecret');
  });

  it('builds the SDK client from the package as both Node and the bundle load it', () => {
    expect(typeof newAliyunClient({ accessKeyId: 'AK', accessKeySecret: 'secret' }).sendSms).toBe('function');
  });
});
