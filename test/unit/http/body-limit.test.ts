import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES, requestBodyLimit } from '#shared/http/body-limit.ts';

describe('requestBodyLimit', () => {
  const app = new Hono()
    .use('*', requestBodyLimit())
    .get('/read', (c) => c.text('read'))
    .post('/write', async (c) => c.text(String((await c.req.text()).length)));
  const big = 'x'.repeat(MAX_JSON_BODY_BYTES + 1);

  it('refuses a write over the limit and takes one within it', async () => {
    expect((await app.request('/write', { method: 'POST', body: big })).status).toBe(413);
    const ok = await app.request('/write', { method: 'POST', body: 'small' });
    expect(await ok.text()).toBe('5');
  });

  it('leaves reads alone: a GET is never asked for its body (the Node adapter builds a Request for that)', async () => {
    let asked = false;
    const req = new Request('http://localhost/read');
    Object.defineProperty(req, 'body', {
      get() {
        asked = true;
        return null;
      },
    });
    const res = await app.fetch(req);
    expect(await res.text()).toBe('read');
    expect(asked).toBe(false);
  });
});
