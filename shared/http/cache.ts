import type { MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';

/**
 * Grades change a few times a year, but publicity and downgrades must show within minutes: browsers
 * revalidate after 5 minutes, shared caches (CloudFront) keep 5 minutes and may serve stale for a day
 * while revalidating or when the origin fails.
 */
export const PUBLIC_CACHE_CONTROL =
  'public, max-age=300, s-maxage=300, stale-while-revalidate=86400, stale-if-error=86400';

/** ETag + Cache-Control for a public GET; If-None-Match answers 304. */
export function publicCache(cacheControl = PUBLIC_CACHE_CONTROL): MiddlewareHandler {
  const tag = etag({ weak: true });
  return async (c, next) => {
    // Mounted on path prefixes that other routes share: only reads are cacheable.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    await tag(c, async () => {
      await next();
      if (c.res.status < 300 && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', cacheControl);
    });
  };
}
