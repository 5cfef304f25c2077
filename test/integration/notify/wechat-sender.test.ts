import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WeChatApiError, WeChatClient, WeChatHttpError, WeChatSender } from '#shared/notify/wechat.ts';
import { wechatPublished } from '../../support/notice-messages.ts';

type Reply = { status?: number; body: unknown };

/** A stand-in for api.weixin.qq.com on 127.0.0.1: token requests and sends answer from scripted queues. */
async function startStub(sendReplies: Reply[]) {
  const calls: Array<{ path: string; token: string | null; body: unknown }> = [];
  let tokens = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const reply = (r: Reply) => {
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.body));
      };
      if (url.pathname === '/cgi-bin/stable_token') {
        tokens++;
        calls.push({ path: url.pathname, token: null, body: JSON.parse(raw) });
        return reply({ body: { access_token: `TOKEN${tokens}`, expires_in: 7200 } });
      }
      calls.push({
        path: url.pathname,
        token: url.searchParams.get('access_token'),
        body: raw ? JSON.parse(raw) : null,
      });
      return reply(sendReplies.shift() ?? { body: { errcode: 0, errmsg: 'ok', msgid: 1 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const message = wechatPublished();

describe('WeChatSender against a local WeChat stub', () => {
  let stub: Awaited<ReturnType<typeof startStub>> | null = null;
  afterEach(async () => {
    await stub?.close();
    stub = null;
  });

  function sender(baseUrl: string) {
    const client = new WeChatClient({
      baseUrl,
      credentials: async () => ({ appId: 'wxAPP', appSecret: 'SECRET' }),
    });
    return {
      client,
      sender: new WeChatSender(client, { templateId: 'TPL-1', linkBase: 'https://credit.example' }),
    };
  }

  it('fetches a token once, caches it, and sends template messages with the displayed fields', async () => {
    stub = await startStub([
      { body: { errcode: 0, errmsg: 'ok', msgid: 42 } },
      { body: { errcode: 0, errmsg: 'ok', msgid: 43 } },
    ]);
    const { client, sender: s } = sender(stub.baseUrl);
    expect(await s.send(message)).toEqual({ status: 'sent', providerId: '42' });
    expect(await s.send({ ...message, cycle: 'r-2' })).toEqual({ status: 'sent', providerId: '43' });
    expect(client.tokenFetches).toBe(1);
    const tokenCall = stub.calls[0]!;
    expect(tokenCall.body).toMatchObject({
      grant_type: 'client_credential',
      appid: 'wxAPP',
      secret: 'SECRET',
      force_refresh: false,
    });
    const send = stub.calls[1]!;
    expect(send.path).toBe('/cgi-bin/message/template/send');
    expect(send.token).toBe('TOKEN1');
    expect(send.body).toMatchObject({ touser: message.to, template_id: 'TPL-1' });
    expect(send.body).toMatchObject({
      url: 'https://credit.example/i/91330106MA2CFXKQ1P',
      data: { thing1: { value: '分级结果已公布：A级96分' }, time3: { value: '2030年11月23日 23:59' } },
    });
    expect(send.body).not.toHaveProperty('data.remark');
  });

  it('sends subscription notices through bizsend when the setting chooses them', async () => {
    stub = await startStub([
      { body: { errcode: 42001, errmsg: 'access_token expired' } },
      { body: { errcode: 0, errmsg: 'ok', msgid: 77 } },
    ]);
    const client = new WeChatClient({
      baseUrl: stub.baseUrl,
      credentials: async () => ({ appId: 'wxAPP', appSecret: 'SECRET' }),
    });
    const s = new WeChatSender(client, {
      templateId: 'SUB-1',
      linkBase: 'https://credit.example',
      api: 'subscribe',
    });
    expect(await s.send(message)).toEqual({ status: 'sent', providerId: '77' });
    const sends = stub.calls.filter((c) => c.path !== '/cgi-bin/stable_token');
    expect(sends.map((c) => [c.path, c.token])).toEqual([
      ['/cgi-bin/message/subscribe/bizsend', 'TOKEN1'],
      ['/cgi-bin/message/subscribe/bizsend', 'TOKEN2'],
    ]);
    expect(sends[1]!.body).toEqual({
      touser: message.to,
      template_id: 'SUB-1',
      page: 'https://credit.example/i/91330106MA2CFXKQ1P',
      data: {
        thing1: { value: '分级结果已公布：A级96分' },
        thing2: { value: '91330106MA2CFXKQ1P' },
        time3: { value: '2030年11月23日 23:59' },
        phrase4: { value: '已公布' },
        thing5: { value: '请于截止前完成下次动态复评' },
      },
    });
  });

  it('treats a refused subscription (43101) from bizsend as terminal', async () => {
    stub = await startStub([{ body: { errcode: 43101, errmsg: 'user refuse to accept the msg' } }]);
    const client = new WeChatClient({
      baseUrl: stub.baseUrl,
      credentials: async () => ({ appId: 'wxAPP', appSecret: 'SECRET' }),
    });
    const s = new WeChatSender(client, { templateId: 'SUB-1', api: 'subscribe' });
    expect(await s.send(message)).toMatchObject({ status: 'terminal' });
    expect(stub.calls.at(-1)?.path).toBe('/cgi-bin/message/subscribe/bizsend');
  });

  it('treats 43101 (user refused) as terminal', async () => {
    stub = await startStub([{ body: { errcode: 43101, errmsg: 'user refuse to accept the msg' } }]);
    expect(await sender(stub.baseUrl).sender.send(message)).toEqual({
      status: 'terminal',
      reason: expect.stringContaining('43101'),
    });
  });

  it('treats an invalid openid (40003) as terminal', async () => {
    stub = await startStub([{ body: { errcode: 40003, errmsg: 'invalid openid' } }]);
    expect(await sender(stub.baseUrl).sender.send(message)).toMatchObject({ status: 'terminal' });
  });

  it('renews an expired token (40001) once and sends again', async () => {
    stub = await startStub([
      { body: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } },
      { body: { errcode: 0, errmsg: 'ok', msgid: 7 } },
    ]);
    const { client, sender: s } = sender(stub.baseUrl);
    expect(await s.send(message)).toEqual({ status: 'sent', providerId: '7' });
    expect(client.tokenFetches).toBe(2);
    const sends = stub.calls.filter((c) => c.path !== '/cgi-bin/stable_token');
    expect(sends.map((c) => c.token)).toEqual(['TOKEN1', 'TOKEN2']);
  });

  it('throws on a 5xx so the queue retries the message', async () => {
    stub = await startStub([{ status: 503, body: { message: 'unavailable' } }]);
    await expect(sender(stub.baseUrl).sender.send(message)).rejects.toBeInstanceOf(WeChatHttpError);
  });

  it('throws on a non-terminal errcode (system busy) so the queue retries it', async () => {
    stub = await startStub([{ body: { errcode: -1, errmsg: 'system error' } }]);
    await expect(sender(stub.baseUrl).sender.send(message)).rejects.toBeInstanceOf(WeChatApiError);
  });

  it('takes the template id from the secret when it is not configured, and retries when there is none', async () => {
    stub = await startStub([{ body: { errcode: 0, errmsg: 'ok', msgid: 9 } }]);
    const withTemplate = new WeChatClient({
      baseUrl: stub.baseUrl,
      credentials: async () => ({ appId: 'wxAPP', appSecret: 'SECRET', templateId: 'TPL-SECRET' }),
    });
    expect(await new WeChatSender(withTemplate, {}).send(message)).toEqual({
      status: 'sent',
      providerId: '9',
    });
    expect(stub.calls.at(-1)?.body).toMatchObject({ template_id: 'TPL-SECRET' });
    const without = new WeChatClient({
      baseUrl: stub.baseUrl,
      credentials: async () => ({ appId: 'a', appSecret: 'b' }),
    });
    await expect(new WeChatSender(without, {}).send(message)).rejects.toThrow(/template id/);
  });
});
