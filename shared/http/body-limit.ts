import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { IMPORT_FILE_BYTES } from './lambda-payload.ts';
import { problem, sendProblem } from './problem.ts';

/** Largest JSON body any route accepts: a registration with every alias and contact is a few KB. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;
/**
 * Bulk imports (a spreadsheet of the register) are the only larger bodies: the documented file limit,
 * the same value as IMPORT_LIMITS.fileBytes (read from lambda-payload.ts, so the public bundle carries no
 * import code).
 */
export const MAX_IMPORT_BODY_BYTES = IMPORT_FILE_BYTES;

/** Routes whose last path segment is `import` or `imports` take the larger limit. */
const IMPORT_PATH = /\/imports?(?:\/|$)/;

/** Objections are short texts: the documented limit of their bodies. */
export const MAX_OBJECTION_BODY_BYTES = 8 * 1024;
/** Upgrade applications carry a self-assessment report. */
export const MAX_UPGRADE_BODY_BYTES = 64 * 1024;

/** 413 naming the limit: `fileBytes` (docs/imports.md) on imports, `bodyBytes` elsewhere. */
const tooLarge =
  (max: number, limit = 'bodyBytes') =>
  (c: Context) =>
    sendProblem(
      c,
      problem(
        413,
        'payload-too-large',
        'Payload too large',
        `the request body is larger than ${max} bytes (请求体过大)`,
        { limit, max },
      ),
    );

/**
 * Refuses an oversized body before any route reads it: by `Content-Length` when it is sent, else while
 * the stream is read, never buffering more than the limit.
 */
export function requestBodyLimit(): MiddlewareHandler {
  const normal = bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: tooLarge(MAX_JSON_BODY_BYTES) });
  const bulk = bodyLimit({
    maxSize: MAX_IMPORT_BODY_BYTES,
    onError: tooLarge(MAX_IMPORT_BODY_BYTES, 'fileBytes'),
  });
  return (c, next) => {
    // No route reads the body of a read. Asking a request for its body (as the limit does) makes the
    // Node adapter build a full Fetch Request, the largest cost of a GET that never needed it.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return IMPORT_PATH.test(c.req.path) ? bulk(c, next) : normal(c, next);
  };
}

/** A route's own, smaller limit, answered 413 problem+json like the global one. */
export function routeBodyLimit(maxSize: number): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: tooLarge(maxSize) });
}
