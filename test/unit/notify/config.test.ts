import { describe, expect, it } from 'vitest';
import { guidanceContacts, loadNotifyConfig, requireSetting } from '#shared/notify/config.ts';

describe('notice configuration', () => {
  it('parses the guidance group contacts and applies defaults', () => {
    const config = loadNotifyConfig({ GUIDANCE_CONTACTS: '{"phones": ["13800000000"]}' });
    expect(guidanceContacts(config)).toEqual({ phones: ['13800000000'], wechatOpenIds: [] });
    expect(config.WECHAT_API_BASE).toBe('https://api.weixin.qq.com');
    expect(config.NOTICE_LEASE_SECONDS).toBe(120);
  });

  it('fails loudly, naming the variable, on malformed values', () => {
    expect(() => loadNotifyConfig({ GUIDANCE_CONTACTS: 'not json' })).toThrow(/GUIDANCE_CONTACTS/);
    expect(() => loadNotifyConfig({ GUIDANCE_CONTACTS: '{"phones": ["12345"]}' })).toThrow(
      /GUIDANCE_CONTACTS/,
    );
    expect(() => loadNotifyConfig({ NOTICES_TOPIC_ARN: 'notices' })).toThrow(/NOTICES_TOPIC_ARN/);
  });

  it('names a setting a component needs but did not get', () => {
    expect(() => requireSetting(loadNotifyConfig({}), 'NOTICES_TOPIC_ARN')).toThrow(
      /NOTICES_TOPIC_ARN is required/,
    );
  });
});
