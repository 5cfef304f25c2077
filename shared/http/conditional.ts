import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/**
 * Conditional GETs for responses whose validators are known before the body is built (the feeds
 * derive them from the head of the change feed), so a 304 costs no read of the body's data.
 */

/** A weak entity tag over the parts that decide a representation. */
export function weakEtag(...parts: ReadonlyArray<string | number | null | undefined>): string {
  const hash = createHash('sha256')
    .update(parts.map((p) => String(p ?? '')).join('\u0000'))
    .digest('base64url')
    .slice(0, 22);
  return `W/"${hash}"`;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** Weak comparison (RFC 9110 §8.8.3.2) against an If-None-Match list. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  const mine = opaque(etag);
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || opaque(t) === mine);
}

export interface Validators {
  etag: string;
  /** Last change of the representation; HTTP dates have whole seconds. */
  lastModified?: Date | null;
  cacheControl: string;
  vary?: string;
}

/**
 * Sets the validators and caching headers and answers 304 when the request's conditions say the
 * client's copy is current: If-None-Match decides when present, else If-Modified-Since (RFC 9110 §13.2.2).
 * Returns null when the full response must be sent.
 */
export function answerConditional(c: Context, v: Validators): Response | null {
  c.header('ETag', v.etag);
  c.header('Cache-Control', v.cacheControl);
  // Stryker disable next-line ConditionalExpression: Hono sets no header for an undefined value
  if (v.vary) c.header('Vary', v.vary);
  if (v.lastModified) c.header('Last-Modified', v.lastModified.toUTCString());
  const inm = c.req.header('If-None-Match');
  if (inm !== undefined) return etagMatches(inm, v.etag) ? c.body(null, 304) : null;
  const ims = c.req.header('If-Modified-Since');
  if (ims && v.lastModified) {
    const since = Date.parse(ims);
    const modified = Math.floor(v.lastModified.getTime() / 1000) * 1000;
    if (!Number.isNaN(since) && modified <= since) return c.body(null, 304);
  }
  return null;
}
