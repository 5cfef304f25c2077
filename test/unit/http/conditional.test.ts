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

describe('entity tags and caching headers', () => {
  it('are weak tags of 22 characters over the parts, kept apart, an absent part as empty', () => {
    expect(weakEtag('a', 1)).toMatch(/^W\/"[\w-]{22}"$/);
    expect(weakEtag('a', 'b')).not.toBe(weakEtag('ab'));
    expect(weakEtag('a', null)).toBe(weakEtag('a', ''));
    expect(weakEtag('a', undefined)).toBe(weakEtag('a', ''));
    expect(weakEtag('a', 0)).not.toBe(weakEtag('a', ''));
  });

  it('match strong and spaced forms of the same tag, and nothing else', () => {
    const tag = weakEtag('a', 2);
    expect(etagMatches(` ${tag} `, tag)).toBe(true);
    expect(etagMatches(`"x",  *`, tag)).toBe(true);
    expect(etagMatches('"x", W/"y"', tag)).toBe(false);
    expect(etagMatches(`W/${tag}`, tag)).toBe(false);
    // Only a leading W/ marks a weak tag: inside the quotes it is part of the tag.
    expect(etagMatches('"aW/b"', '"ab"')).toBe(false);
  });

  it('set Vary and Last-Modified only when given, and ignore If-Modified-Since without a date', async () => {
    const a = new Hono();
    a.get('/plain', (c) => answerConditional(c, { etag: '"p"', cacheControl: 'no-cache' }) ?? c.text('p'));
    a.get(
      '/varied',
      (c) => answerConditional(c, { etag: '"v"', cacheControl: 'no-cache', vary: 'Accept' }) ?? c.text('v'),
    );
    const plain = await a.request('/plain', {
      headers: { 'If-Modified-Since': 'Mon, 23 Nov 2026 08:00:00 GMT' },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('vary')).toBeNull();
    expect(plain.headers.get('last-modified')).toBeNull();
    expect(plain.headers.get('etag')).toBe('"p"');
    expect((await a.request('/varied')).headers.get('vary')).toBe('Accept');
    expect((await a.request('/varied', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
  });

  it('answer 304 to a copy newer than the last change', async () => {
    const res = await app(new Date('2026-11-23T08:00:00Z')).request('/', {
      headers: { 'If-Modified-Since': 'Mon, 23 Nov 2026 09:00:00 GMT' },
    });
    expect(res.status).toBe(304);
  });
});
