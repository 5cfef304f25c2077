import { pipeline, Readable } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

/** Smaller answers are not worth compressing (CloudFront's floor is 1,000 bytes). */
export const MIN_COMPRESS_BYTES = 1000;

const COMPRESSIBLE =
  /^(text\/|application\/(json|problem\+json|xml|atom\+xml|rss\+xml|javascript)|image\/svg\+xml)/;

/** br when the client accepts it, else gzip, else none; `q=0` refuses a coding. */
export function chooseEncoding(acceptEncoding: string | null): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(coding.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

/**
 * Compresses large text answers of the local server when the request asks for it, as CloudFront does
 * in front of the deployed service. Streams (the CSV export) stay streams. A strong ETag becomes weak,
 * since the bytes differ from the uncompressed representation's.
 */
export function compressed(
  fetch: (req: Request, env?: unknown) => Response | Promise<Response>,
): (req: Request, env?: unknown) => Promise<Response> {
  // `env` carries node-server's socket: the client's address (http/client-address.ts).
  return async (req, env) => {
    const res = await fetch(req, env);
    const encoding = chooseEncoding(req.headers.get('Accept-Encoding'));
    const type = res.headers.get('Content-Type') ?? '';
    const length = res.headers.get('Content-Length');
    if (
      !encoding ||
      !res.body ||
      req.method === 'HEAD' ||
      res.headers.has('Content-Encoding') ||
      !COMPRESSIBLE.test(type) ||
      /no-transform/i.test(res.headers.get('Cache-Control') ?? '') ||
      (length !== null && Number(length) < MIN_COMPRESS_BYTES)
    ) {
      return res;
    }
    // Without a Content-Length, read just enough to know whether the answer is large.
    const reader = res.body.getReader();
    const head: Uint8Array[] = [];
    let size = 0;
    let done = false;
    while (size < MIN_COMPRESS_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) {
        done = true;
        break;
      }
      head.push(chunk.value);
      size += chunk.value.byteLength;
    }
    if (done && size < MIN_COMPRESS_BYTES) {
      return new Response(Buffer.concat(head), {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    }
    const source = Readable.from(
      (async function* () {
        yield* head;
        if (done) return;
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return;
          yield chunk.value;
        }
      })(),
    );
    const zip =
      encoding === 'br'
        ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
        : createGzip();
    // pipeline: an error on either side destroys both, and the client sees a broken stream, not a hang.
    pipeline(source, zip, () => {});
    const body = Readable.toWeb(zip) as ReadableStream;
    const headers = new Headers(res.headers);
    headers.delete('Content-Length');
    headers.set('Content-Encoding', encoding);
    const vary = headers.get('Vary');
    if (!vary?.toLowerCase().includes('accept-encoding')) {
      headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    }
    const etag = headers.get('ETag');
    if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
