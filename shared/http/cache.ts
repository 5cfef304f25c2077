import type { MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';

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
 */
export const CACHE_POLICIES = {
  detail: { maxAge: 300, sMaxAge: 300, staleWhileRevalidate: 86_400 },
  search: { maxAge: 60, sMaxAge: 120, staleWhileRevalidate: 600 },
  publicity: { maxAge: 60, sMaxAge: 60, staleWhileRevalidate: 300 },
  stats: { maxAge: 300, sMaxAge: 900, staleWhileRevalidate: 86_400 },
  docs: { maxAge: 3600, sMaxAge: 86_400, staleWhileRevalidate: 604_800 },
} as const satisfies Record<string, CachePolicy>;

/** The default: an institution's detail. */
export const PUBLIC_CACHE_CONTROL = cacheControl(CACHE_POLICIES.detail);

/** ETag + Cache-Control for a public GET; If-None-Match answers 304. */
export function publicCache(policy: CachePolicy | string = PUBLIC_CACHE_CONTROL): MiddlewareHandler {
  const header = typeof policy === 'string' ? policy : cacheControl(policy);
  const tag = etag({ weak: true });
  return async (c, next) => {
    // Mounted on path prefixes that other routes share: only reads are cacheable.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    await tag(c, async () => {
      await next();
      if (c.res.status < 300 && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', header);
    });
  };
}
