import { describe, expect, it } from 'vitest';
import { WeChatClient, WeChatSender } from '#shared/notify/wechat.ts';
import { wechatReminder } from '../../support/notice-messages.ts';

const message = wechatReminder();

/**
 * A mock of api.weixin.qq.com: stable_token answers TOKEN1, TOKEN2, … (after a tick, so concurrent
 * callers overlap); a send answers `sendAnswer(token)`.
 */
function mockWeChat(sendAnswer: (token: string) => Record<string, unknown>) {
  const tokenBodies: unknown[] = [];
  const sends: string[] = [];
  const fetchMock = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    await new Promise((r) => setTimeout(r, 1));
    if (url.pathname === '/cgi-bin/stable_token') {
      expect(init?.method).toBe('POST');
      tokenBodies.push(JSON.parse(String(init?.body)));
      return Response.json({ access_token: `TOKEN${tokenBodies.length}`, expires_in: 7200 });
    }
    const token = url.searchParams.get('access_token') ?? '';
    sends.push(token);
    return Response.json(sendAnswer(token));
  }) as typeof fetch;
  const client = new WeChatClient({
    baseUrl: 'https://api.weixin.qq.com',
    credentials: async () => ({ appId: 'wxAPP', appSecret: 'SECRET' }),
    fetch: fetchMock,
  });
  return { client, sender: new WeChatSender(client, { templateId: 'TPL-1' }), tokenBodies, sends };
}

const ok = { errcode: 0, errmsg: 'ok', msgid: 1 };

describe('WeChat access token shared through stable_token', () => {
  it('asks stable_token in normal mode (never force_refresh)', async () => {
    const wx = mockWeChat(() => ok);
    await wx.sender.send(message);
    expect(wx.tokenBodies).toEqual([
      { grant_type: 'client_credential', appid: 'wxAPP', secret: 'SECRET', force_refresh: false },
    ]);
  });

  it('20 concurrent senders cause exactly one token call', async () => {
    const wx = mockWeChat(() => ok);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => wx.sender.send({ ...message, to: `openid-${i}` })),
    );
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(wx.tokenBodies).toHaveLength(1);
    expect(wx.client.tokenFetches).toBe(1);
    expect(new Set(wx.sends)).toEqual(new Set(['TOKEN1']));
  });

  it.each([40001, 42001, 40014])(
    'an expired-token answer (%i) causes exactly one refresh and one retry',
    async (errcode) => {
      const wx = mockWeChat((token) => (token === 'TOKEN1' ? { errcode, errmsg: 'expired' } : ok));
      expect(await wx.sender.send(message)).toMatchObject({ status: 'sent' });
      expect(wx.tokenBodies).toHaveLength(2);
      expect(wx.sends).toEqual(['TOKEN1', 'TOKEN2']);
    },
  );

  it('20 concurrent senders told the token expired share one refresh', async () => {
    const wx = mockWeChat((token) => (token === 'TOKEN1' ? { errcode: 42001, errmsg: 'expired' } : ok));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => wx.sender.send({ ...message, to: `openid-${i}` })),
    );
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(wx.tokenBodies).toHaveLength(2);
    expect(wx.sends.filter((t) => t === 'TOKEN2')).toHaveLength(20);
  });

  it('retries once only: a token still refused after the refresh is thrown for the queue', async () => {
    const wx = mockWeChat(() => ({ errcode: 40001, errmsg: 'invalid credential' }));
    await expect(wx.sender.send(message)).rejects.toThrow(/40001/);
    expect(wx.tokenBodies).toHaveLength(2);
    expect(wx.sends).toHaveLength(2);
  });
});
