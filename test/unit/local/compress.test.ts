import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressed, MIN_COMPRESS_BYTES } from '#shared/local/compress.ts';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ i, name: `机构 ${i}` })) };

function app() {
  const a = new Hono();
  a.get('/big', (c) => {
    c.header('ETag', '"abc"');
    return c.json(big);
  });
  a.get('/small', (c) => c.json({ ok: true }));
  a.get('/png', (c) => c.body(new Uint8Array(5000), 200, { 'Content-Type': 'image/png' }));
  a.get('/stream', () => {
    const enc = new TextEncoder();
    let n = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (n++ < 50) ctrl.enqueue(enc.encode(`${'x'.repeat(99)}\n`));
        else ctrl.close();
      },
    });
    return new Response(body, { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
  });
  return compressed(a.fetch);
}

const get = (path: string, acceptEncoding?: string) =>
  app()(
    new Request(`http://localhost${path}`, {
      headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {},
    }),
  );

describe('compression of local answers', () => {
  it('prefers br, then gzip, and honours q=0', () => {
    expect(chooseEncoding('gzip, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding(null)).toBeUndefined();
  });

  it('compresses a large JSON answer with br, weakens its ETag and varies on Accept-Encoding', async () => {
    const res = await get('/big', 'gzip, br');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    expect(res.headers.get('etag')).toBe('W/"abc"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(JSON.parse(brotliDecompressSync(bytes).toString('utf8'))).toEqual(big);
    expect(bytes.length).toBeLessThan(JSON.stringify(big).length / 3);
  });

  it('compresses a streamed CSV with gzip when br is not accepted', async () => {
    const res = await get('/stream', 'gzip');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
    expect(text).toBe(`${'x'.repeat(99)}\n`.repeat(50));
  });

  it(`leaves alone answers under ${MIN_COMPRESS_BYTES} bytes, images, and requests that do not ask`, async () => {
    const small = await get('/small', 'gzip, br');
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.json()).toEqual({ ok: true });
    expect((await get('/png', 'gzip, br')).headers.get('content-encoding')).toBeNull();
    const plain = await get('/big');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.json()).toEqual(big);
  });
});
