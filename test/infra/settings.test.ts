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
});
