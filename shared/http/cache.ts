import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { etagMatches } from './conditional.ts';

/** How long a public answer may be kept: by browsers, by CloudFront, and served stale meanwhile. */
export interface CachePolicy {
  /** Browsers (max-age). */
  maxAge: number;
  /** Shared caches, i.e. CloudFront (s-maxage). */
  sMaxAge: number;
  /** CloudFront may answer from a stale copy while it fetches a fresh one (stale-while-revalidate). */
  staleWhileRevalidate: number;
}

/** The Cache-Control of a policy; a stale copy may also stand in for a failing origin for a day. */
export function cacheControl(p: CachePolicy): string {
  return `public, max-age=${p.maxAge}, s-maxage=${p.sMaxAge}, stale-while-revalidate=${p.staleWhileRevalidate}, stale-if-error=86400`;
}

/**
 * Per route. Grades change a few times a year, but publicity and downgrades must show within minutes:
 * an institution's detail and page keep 5 minutes; searches and the publicity list, whose answers any
 * change can alter, less; stats and the API documents, which change slowly or only with a deployment, more.
 * A search, like a detail, may then be served stale for a day while the CDN fetches it again: the
 * visitor after the expiry gets the old copy once, everyone after the fresh one, and a rarely asked
 * term still comes from the edge (docs/performance.md "Edge cache keys").
 */
export const CACHE_POLICIES = {
  detail: { maxAge: 300, sMaxAge: 300, staleWhileRevalidate: 86_400 },
  search: { maxAge: 60, sMaxAge: 120, staleWhileRevalidate: 86_400 },
  publicity: { maxAge: 60, sMaxAge: 60, staleWhileRevalidate: 300 },
  stats: { maxAge: 300, sMaxAge: 900, staleWhileRevalidate: 86_400 },
  docs: { maxAge: 3600, sMaxAge: 86_400, staleWhileRevalidate: 604_800 },
} as const satisfies Record<string, CachePolicy>;

/** The default: an institution's detail. */
export const PUBLIC_CACHE_CONTROL = cacheControl(CACHE_POLICIES.detail);

/** A weak entity tag over the bytes (or text) of a body: SHA-1, computed synchronously. */
export function bodyEtag(body: string | Uint8Array): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * A JSON answer carrying its entity tag, hashed from the text it sends: the body is serialised once and
 * `publicCache` need not read the response back to tag it.
 */
export function taggedJson(c: Context, value: unknown): Response {
  const text = JSON.stringify(value);
  return c.body(text, 200, { 'Content-Type': 'application/json', ETag: bodyEtag(text) });
}

/** Headers a 304 keeps from the answer it stands for (RFC 9110 §15.4.5). */
const KEPT_BY_304 = ['Cache-Control', 'Content-Location', 'Date', 'ETag', 'Expires', 'Vary'];

/**
 * ETag + Cache-Control for a public GET; If-None-Match answers 304. An answer without an ETag of its
 * own is read once and tagged by the hash of its bytes (a streamed body is buffered for it).
 */
export function publicCache(policy: CachePolicy | string = PUBLIC_CACHE_CONTROL): MiddlewareHandler {
  const header = typeof policy === 'string' ? policy : cacheControl(policy);
  return async (c, next) => {
    // Mounted on path prefixes that other routes share: only reads are cacheable.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    await next();
    let res = c.res;
    if (!res.ok) return;
    if (res.status < 300 && !res.headers.has('Cache-Control')) res.headers.set('Cache-Control', header);
    let tag = res.headers.get('ETag');
    if (!tag) {
      if (!res.body) return;
      const bytes = new Uint8Array(await res.arrayBuffer());
      tag = bodyEtag(bytes);
      res = new Response(bytes, res);
      res.headers.set('ETag', tag);
      // Unset first: Hono's setter would otherwise copy the spent answer's headers over again.
      c.res = undefined;
      c.res = res;
    }
    const inm = c.req.header('If-None-Match');
    if (inm !== undefined && etagMatches(inm, tag)) {
      await res.body?.cancel();
      const kept = new Headers();
      for (const name of KEPT_BY_304) {
        const value = res.headers.get(name);
        if (value !== null) kept.set(name, value);
      }
      c.res = undefined;
      c.res = new Response(null, { status: 304, headers: kept });
    }
  };
}
