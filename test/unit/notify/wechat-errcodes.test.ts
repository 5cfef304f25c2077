import { describe, expect, it } from 'vitest';
import { WeChatApiError, WeChatClient, WeChatSender } from '#shared/notify/wechat.ts';
import { WECHAT_ERRCODES, wechatErrAction } from '#shared/notify/wechat-errcodes.ts';
import { wechatReminder } from '../../support/notice-messages.ts';

const message = wechatReminder({ kind: 'review_due_30', params: { due: '2027-01-10' }, on: '2026-12-11' });

/** A sender whose every template send answers `errcode`; counts the sends and token calls. */
function senderAnswering(errcode: number) {
  const counts = { sends: 0, tokens: 0 };
  const fetchMock = (async (input: string | URL | Request) => {
    if (new URL(String(input)).pathname === '/cgi-bin/stable_token') {
      counts.tokens++;
      return Response.json({ access_token: `TOKEN${counts.tokens}`, expires_in: 7200 });
    }
    counts.sends++;
    return Response.json({ errcode, errmsg: `answer ${errcode}` });
  }) as typeof fetch;
  const client = new WeChatClient({
    baseUrl: 'https://api.weixin.qq.com',
    credentials: async () => ({ appId: 'wxAPP', appSecret: 'SECRET' }),
    fetch: fetchMock,
  });
  return { sender: new WeChatSender(client, { templateId: 'TPL-1' }), counts };
}

describe('WeChat errcode table', () => {
  it.each([43004, 40003, 47003, 43101])(
    '%i never retries: the notice fails for good after one send',
    async (code) => {
      expect(wechatErrAction(code)).toBe('never');
      const { sender, counts } = senderAnswering(code);
      expect(await sender.send(message)).toEqual({
        status: 'terminal',
        reason: expect.stringContaining(`(${code})`),
      });
      expect(counts).toEqual({ sends: 1, tokens: 1 });
    },
  );

  it.each([45009, -1, 45047])(
    '%i retries later: thrown so the queue redelivers it, without a token refresh',
    async (code) => {
      expect(wechatErrAction(code)).toBe('later');
      const { sender, counts } = senderAnswering(code);
      const err = await sender.send(message).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeChatApiError);
      expect((err as WeChatApiError).errcode).toBe(code);
      expect(counts).toEqual({ sends: 1, tokens: 1 });
    },
  );

  it.each([40001, 40014, 42001])('%i renews the token', (code) => {
    expect(wechatErrAction(code)).toBe('token');
  });

  it('retries an unlisted errcode later rather than dropping the notice', async () => {
    expect(WECHAT_ERRCODES[48001]).toBeUndefined();
    expect(wechatErrAction(48001)).toBe('later');
    await expect(senderAnswering(48001).sender.send(message)).rejects.toBeInstanceOf(WeChatApiError);
  });
});
