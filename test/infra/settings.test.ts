import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../infra/settings.ts';

const from = (values: Record<string, unknown>) => parseSettings((k) => values[k]);

describe('parseSettings', () => {
  it('fills the defaults and coerces numbers given as -c strings', () => {
    expect(from({ region: 'ap-northeast-1', publicRateLimit: '500' })).toMatchObject({
      region: 'ap-northeast-1',
      publicRateLimit: 500,
      overallRateLimit: 3000,
      smsMonthlyBudgetUsd: 50,
      smsDailyLimitPerInstitution: 20,
      smsMonthlyLimit: 5000,
    });
  });

  it('treats an empty -c value as not given', () => {
    expect(from({ region: 'ap-northeast-1', domainName: '' }).domainName).toBeUndefined();
  });

  it('names every malformed parameter', () => {
    expect(() => from({ region: 'tokyo', alarmEmail: 'ops', publicRateLimit: 'many' })).toThrow(
      /region: .*alarmEmail: .*publicRateLimit: /,
    );
  });

  it('passes the notice template settings through and refuses an unknown WeChat API', () => {
    const codes = '{"review_due_90":"SMS_154950909"}';
    expect(
      from({
        region: 'cn-north-1',
        smsTemplateCodes: codes,
        wechatNoticeApi: 'subscribe',
        wechatTemplateId: 'T',
      }),
    ).toMatchObject({ smsTemplateCodes: codes, wechatNoticeApi: 'subscribe', wechatTemplateId: 'T' });
    expect(() => from({ region: 'cn-north-1', wechatNoticeApi: 'mass' })).toThrow(/wechatNoticeApi/);
  });
});
