import type { Context, Hono, MiddlewareHandler } from 'hono';
import { problem, sendProblem } from './problem.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type RouterEntry = [[unknown, { method: string }], unknown];

/** The methods some route (not middleware) answers on `path`. */
export function allowedMethods(app: Hono<never>, path: string): string[] {
  const allowed = new Set<string>();
  for (const method of METHODS) {
    const lookup = method === 'HEAD' ? 'GET' : method;
    const [entries] = app.router.match(lookup, path) as unknown as [RouterEntry[]];
    if (entries.some(([[, route]]) => route.method === lookup)) allowed.add(method);
  }
  if (allowed.size > 0) allowed.add('OPTIONS');
  return [...allowed];
}

/** 404 for an unknown path, 405 with `Allow` for a known path asked with another method. */
export function notFoundOrWrongMethod(app: Hono<never>) {
  return (c: Context) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length === 0) {
      return sendProblem(c, problem(404, 'not-found', 'Not found', `no resource at ${c.req.path}`));
    }
    const res = sendProblem(
      c,
      problem(
        405,
        'method-not-allowed',
        'Method not allowed',
        `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allowed.join(', ')}`,
      ),
    );
    res.headers.set('Allow', allowed.join(', '));
    return res;
  };
}

const PRIVATE_PREFIXES = ['/v1/admin', '/dev'];

function isPrivate(path: string) {
  return PRIVATE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

const READS = new Set(['GET', 'HEAD']);

/**
 * CORS for the public reads: any origin may GET them (associations' pages read the register).
 * Writes and the admin surface get no CORS headers, so browsers keep them same-origin.
 * `OPTIONS` on a known path answers 204 with `Allow`; the preflight of a public read also grants it.
 */
export function publicCors(app: Hono<never>): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (c.req.method === 'OPTIONS') {
      const allowed = allowedMethods(app, path);
      if (allowed.length === 0) return next();
      const headers: Record<string, string> = { Allow: allowed.join(', ') };
      const asked = c.req.header('Access-Control-Request-Method')?.toUpperCase();
      if (!isPrivate(path) && allowed.includes('GET') && (asked === undefined || READS.has(asked))) {
        Object.assign(headers, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
          'Access-Control-Allow-Headers': 'Accept, Accept-Language, If-None-Match, If-Modified-Since',
          'Access-Control-Max-Age': '86400',
        });
      }
      return c.body(null, 204, headers);
    }
    await next();
    if (READS.has(c.req.method) && !isPrivate(path)) {
      c.res.headers.set('Access-Control-Allow-Origin', '*');
      c.res.headers.set('Access-Control-Expose-Headers', 'ETag, Last-Modified, Link, Retry-After');
    }
  };
}

/**
 * Security headers on every answer. HSTS only when the service is published over https (deployed);
 * a local http server must not pin browsers to https on localhost. Pages carry no inline script; the
 * objection form's solver is served from this origin; their styles are inline.
 */
export function securityHeaders(publicBaseUrl: string): MiddlewareHandler {
  const base = new URL(publicBaseUrl);
  const hsts = base.protocol === 'https:';
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    `form-action 'self' ${base.origin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (hsts) h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (h.get('Content-Type')?.startsWith('text/html')) h.set('Content-Security-Policy', csp);
    if (isPrivate(c.req.path)) h.set('Cache-Control', 'no-store');
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a write a browser sends from another site is refused (403) before any route runs. A browser
 * says where a request comes from in `Sec-Fetch-Site` and `Origin`; a write is let through when it
 * says same-origin (or nothing, as API clients and curl do). Allowed origins: the public base URL and
 * the origin the request itself was addressed to (the local server under another host name).
 */
export function sameOriginWrites(publicBaseUrl: string): MiddlewareHandler {
  const home = new URL(publicBaseUrl).origin;
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const refuse = (field: string, message: string) =>
      sendProblem(
        c,
        problem(403, 'cross-origin-write', 'Cross-origin write refused', `${field}: ${message}`, {
          errors: [{ path: `header.${field}`, message }],
        }),
      );
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return refuse('sec-fetch-site', `writes are taken only from this site's own pages (got ${site})`);
    }
    if (origin !== undefined && origin !== home && origin !== new URL(c.req.url).origin) {
      return refuse('origin', "writes are taken only from this site's own pages");
    }
    return next();
  };
}
