import { describe, expect, it } from 'vitest';
import { requireSetting } from '#shared/env.ts';
import { guidanceContacts, loadNotifyConfig } from '#shared/notify/config.ts';

describe('notice configuration', () => {
  it('parses the guidance group contacts and applies defaults', () => {
    const config = loadNotifyConfig({ GUIDANCE_CONTACTS: '{"phones": ["13800000000"]}' });
    expect(guidanceContacts(config)).toEqual({ phones: ['13800000000'], wechatOpenIds: [] });
    expect(config.WECHAT_API_BASE).toBe('https://api.weixin.qq.com');
    expect(config.NOTICE_LEASE_SECONDS).toBe(120);
    expect(config.WECHAT_NOTICE_API).toBe('template');
  });

  it('chooses subscription notices by setting, and nothing else', () => {
    expect(loadNotifyConfig({ WECHAT_NOTICE_API: 'subscribe' }).WECHAT_NOTICE_API).toBe('subscribe');
    expect(() => loadNotifyConfig({ WECHAT_NOTICE_API: 'customer' })).toThrow(/WECHAT_NOTICE_API/);
  });

  it('fails loudly, naming the variable, on malformed values', () => {
    expect(() => loadNotifyConfig({ GUIDANCE_CONTACTS: 'not json' })).toThrow(/GUIDANCE_CONTACTS/);
    expect(() => loadNotifyConfig({ GUIDANCE_CONTACTS: '{"phones": ["12345"]}' })).toThrow(
      /GUIDANCE_CONTACTS/,
    );
    expect(() => loadNotifyConfig({ NOTICES_TOPIC_ARN: 'notices' })).toThrow(/NOTICES_TOPIC_ARN/);
  });

  it('reads the registered SMS template codes by notice kind', () => {
    const config = loadNotifyConfig({ SMS_TEMPLATE_CODES: '{"review_due_90": "SMS_154950909"}' });
    expect(config.SMS_TEMPLATE_CODES).toEqual({ review_due_90: 'SMS_154950909' });
    expect(
      loadNotifyConfig({ SMS_TEMPLATE_CODES: '{"YM_REVIEW_DUE_30": "SMS_2", "review_due_7": "SMS_3"}' })
        .SMS_TEMPLATE_CODES,
    ).toEqual({ review_due_30: 'SMS_2', review_due_7: 'SMS_3' });
    expect(() => loadNotifyConfig({ SMS_TEMPLATE_CODES: '{"review_due_91": "SMS_1"}' })).toThrow(
      /SMS_TEMPLATE_CODES/,
    );
    expect(() =>
      loadNotifyConfig({ SMS_TEMPLATE_CODES: '{"review_due_90": "SMS_1", "review_due_30": "SMS_1"}' }),
    ).toThrow(/SMS_TEMPLATE_CODES: each notice kind needs its own template code/);
    expect(() => loadNotifyConfig({ SMS_TEMPLATE_CODES: '{"review_due_90": "a b"}' })).toThrow(
      /SMS_TEMPLATE_CODES/,
    );
  });

  it('names a setting a component needs but did not get', () => {
    expect(() => requireSetting(loadNotifyConfig({}), 'NOTICES_TOPIC_ARN')).toThrow(
      /NOTICES_TOPIC_ARN is required/,
    );
  });

  it('refuses an Aliyun SMS sender without its signature, with one error naming SMS_SIGN_NAME', () => {
    const load = () => loadNotifyConfig({ SMS_PROVIDER: 'aliyun', SMS_SECRET_ARN: 'sms-secret' });
    expect(load).toThrow(
      /^invalid configuration: SMS_SIGN_NAME: required when SMS_PROVIDER is aliyun: the approved SMS signature \(签名\), deployed as -c smsSignName=\.\.\.$/,
    );
    expect(
      loadNotifyConfig({ SMS_PROVIDER: 'aliyun', SMS_SIGN_NAME: '杭州卫健医美信用' }).SMS_SIGN_NAME,
    ).toBe('杭州卫健医美信用');
    // SNS needs no signature, and the functions that only publish notices name no provider at all.
    expect(loadNotifyConfig({ SMS_PROVIDER: 'sns' }).SMS_SIGN_NAME).toBeUndefined();
    expect(loadNotifyConfig({}).SMS_PROVIDER).toBe('sns');
  });
});
