import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmsProvider, type SmsRequest, SmsSender, SnsSmsProvider } from '#shared/notify/sms.ts';
import { renderSms, smsTemplateSet } from '#shared/notify/sms-templates.ts';
import { smsReminder } from '../../support/notice-messages.ts';

const sns = mockClient(SNSClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => sns.restore());

const message = smsReminder();

function sender() {
  return new SmsSender(
    new SnsSmsProvider(new SNSClient({ region: 'cn-north-1' }), { senderId: 'HZWJ', templateId: 'SMS_0001' }),
  );
}

describe('SmsSender over SNS', () => {
  beforeEach(() => sns.reset());

  it('publishes a transactional SMS to the E.164 number with the sender and template ids', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'mid-1' });
    expect(await sender().send(message)).toEqual({ status: 'sent', providerId: 'mid-1' });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      PhoneNumber: '+8613912345678',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'HZWJ' },
        'AWS.MM.SMS.TemplateId': { DataType: 'String', StringValue: 'SMS_0001' },
      },
    });
    const text = sns.commandCalls(PublishCommand)[0]!.args[0].input.Message;
    expect(text).toBe(
      '【杭州卫健医美信用】贵机构：您的量化分级动态复评将于2027-01-10到期（还有7天），逾期将在公开查询页面标注为逾期未复评。',
    );
  });

  it('hands the provider the template code and its variables only', async () => {
    const requests: SmsRequest[] = [];
    const provider: SmsProvider = {
      send: async (req) => {
        requests.push(req);
        return { messageId: 'm-2' };
      },
    };
    expect(await new SmsSender(provider).send(message)).toEqual({ status: 'sent', providerId: 'm-2' });
    expect(requests).toEqual([
      {
        phone: '13912345678',
        templateCode: 'YM_REVIEW_DUE_7',
        params: { name: '贵机构', due: '2027-01-10' },
      },
    ]);
  });

  it('uses the codes the templates were registered under, and SNS renders the same text', async () => {
    const templates = smsTemplateSet({ review_due_7: 'SMS_154950909' });
    const requests: SmsRequest[] = [];
    const gateway: SmsProvider = {
      send: async (req) => {
        requests.push(req);
        return { messageId: 'm-3' };
      },
    };
    await new SmsSender(gateway, templates).send(message);
    expect(requests[0]?.templateCode).toBe('SMS_154950909');

    sns.on(PublishCommand).resolves({ MessageId: 'mid-4' });
    const overSns = new SmsSender(
      new SnsSmsProvider(new SNSClient({ region: 'cn-north-1' }), { templates }),
      templates,
    );
    expect(await overSns.send(message)).toEqual({ status: 'sent', providerId: 'mid-4' });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message).toBe(
      renderSms('review_due_7', message.params, message.uscc).text,
    );
  });

  it('refuses for good a template code SNS does not know', async () => {
    const provider = new SnsSmsProvider(new SNSClient({ region: 'cn-north-1' }), {});
    await expect(provider.send({ phone: '13912345678', templateCode: 'SMS_0', params: {} })).rejects.toThrow(
      /unknown template code SMS_0/,
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('refuses a configuration that gives two kinds one code', () => {
    expect(() => smsTemplateSet({ review_due_7: 'SMS_1', review_due_30: 'SMS_1' })).toThrow(/SMS_1/);
    expect(() => smsTemplateSet({ review_due_7: 'YM_REVIEW_DUE_30' })).toThrow(/YM_REVIEW_DUE_30/);
  });

  it('treats an invalid number as terminal', async () => {
    sns
      .on(PublishCommand)
      .rejects(
        Object.assign(new Error('Invalid parameter: PhoneNumber'), { name: 'InvalidParameterException' }),
      );
    expect(await sender().send(message)).toMatchObject({ status: 'terminal' });
  });

  it('throws a throttled publish so the queue retries it', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(sender().send(message)).rejects.toThrow(/Rate exceeded/);
  });
});
