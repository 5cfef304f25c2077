import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyEtag, cacheControl, publicCache, taggedJson } from '#shared/http/cache.ts';

const policy = { maxAge: 60, sMaxAge: 120, staleWhileRevalidate: 600 };

function app() {
  return new Hono()
    .use('*', publicCache(policy))
    .get('/text', (c) => c.text('the same bytes'))
    .get('/json', (c) => taggedJson(c, { a: 1, b: ['二'] }))
    .get('/own', (c) => c.body('x', 200, { 'Cache-Control': 'no-store', ETag: 'W/"mine"' }))
    .get('/missing', (c) => c.json({ error: 'no' }, 404))
    .post('/text', (c) => c.text('written'));
}

describe('publicCache', () => {
  it('tags an answer by the hash of its bytes and keeps the body intact', async () => {
    const res = await app().request('/text');
    expect(res.headers.get('ETag')).toBe(bodyEtag('the same bytes'));
    expect(res.headers.get('Cache-Control')).toBe(cacheControl(policy));
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('the same bytes');
  });

  it('uses the tag a JSON answer carries, hashed from the text it sends', async () => {
    const res = await app().request('/json');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ a: 1, b: ['二'] });
    expect(res.headers.get('ETag')).toBe(bodyEtag(text));
    expect(res.headers.get('Content-Type')).toBe('application/json');
  });

  it('answers 304 to a matching If-None-Match (weakly compared), keeping the caching headers only', async () => {
    const first = await app().request('/json');
    const tag = first.headers.get('ETag')!;
    for (const inm of [tag, tag.replace(/^W\//, ''), `"other", ${tag}`, '*']) {
      const again = await app().request('/json', { headers: { 'If-None-Match': inm } });
      expect(again.status, inm).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('ETag')).toBe(tag);
      expect(again.headers.get('Cache-Control')).toBe(cacheControl(policy));
      expect(again.headers.get('Content-Type')).toBeNull();
    }
    const stale = await app().request('/json', { headers: { 'If-None-Match': 'W/"other"' } });
    expect(stale.status).toBe(200);
  });

  it("leaves a route's own validators and caching alone", async () => {
    const res = await app().request('/own');
    expect(res.headers.get('ETag')).toBe('W/"mine"');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect((await app().request('/own', { headers: { 'If-None-Match': 'W/"mine"' } })).status).toBe(304);
  });

  it('tags neither errors nor writes', async () => {
    const missing = await app().request('/missing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('ETag')).toBeNull();
    const written = await app().request('/text', { method: 'POST' });
    expect(written.headers.get('ETag')).toBeNull();
    expect(written.headers.get('Cache-Control')).toBeNull();
  });
});
