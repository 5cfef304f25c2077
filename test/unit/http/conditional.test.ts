import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { answerConditional, etagMatches, weakEtag } from '#shared/http/conditional.ts';

function app(lastModified: Date | null) {
  const a = new Hono();
  a.get('/', (c) => {
    const nm = answerConditional(c, {
      etag: weakEtag('x', 1),
      lastModified,
      cacheControl: 'public, max-age=30',
    });
    return nm ?? c.text('body');
  });
  return a;
}

describe('conditional requests', () => {
  it('compares entity tags weakly, in lists and with *', () => {
    const tag = weakEtag('a', 2);
    expect(etagMatches(tag, tag)).toBe(true);
    expect(etagMatches(tag.slice(2), tag)).toBe(true);
    expect(etagMatches(`W/"other", ${tag}`, tag)).toBe(true);
    expect(etagMatches('*', tag)).toBe(true);
    expect(etagMatches(weakEtag('a', 3), tag)).toBe(false);
  });

  it('answers 304 with the validators when If-None-Match matches', async () => {
    const res = await app(null).request('/', { headers: { 'If-None-Match': weakEtag('x', 1) } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(weakEtag('x', 1));
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
  });

  it('lets If-None-Match decide over If-Modified-Since', async () => {
    const res = await app(new Date('2026-11-20T00:00:00Z')).request('/', {
      headers: { 'If-None-Match': '"stale"', 'If-Modified-Since': 'Mon, 23 Nov 2026 00:00:00 GMT' },
    });
    expect(res.status).toBe(200);
  });

  it('compares If-Modified-Since in whole seconds', async () => {
    const a = app(new Date('2026-11-23T08:00:00.900Z'));
    const same = await a.request('/', { headers: { 'If-Modified-Since': 'Mon, 23 Nov 2026 08:00:00 GMT' } });
    expect(same.status).toBe(304);
    expect(same.headers.get('last-modified')).toBe('Mon, 23 Nov 2026 08:00:00 GMT');
    const older = await a.request('/', { headers: { 'If-Modified-Since': 'Mon, 23 Nov 2026 07:59:59 GMT' } });
    expect(older.status).toBe(200);
    const garbage = await a.request('/', { headers: { 'If-Modified-Since': 'yesterday' } });
    expect(garbage.status).toBe(200);
  });
});
