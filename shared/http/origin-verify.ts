import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problem, sendProblem } from './problem.ts';

/** The header CloudFront adds to every request it forwards to the API (global profile). */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the header's value is CloudFront's secret (compared in constant time). */
export function carriesOriginSecret(sent: string | undefined, secret: string): boolean {
  return sent !== undefined && timingSafeEqual(digest(sent), digest(secret));
}

/**
 * Answers only requests that carry CloudFront's secret header: one sent to the API's own address,
 * around CloudFront and its WAF, is refused with 403 before any route sees it. Without a secret
 * configured (locally, the China profile, whose WAF sits on the API itself) every request passes.
 */
export function cloudFrontOnly(secret: string | undefined): MiddlewareHandler {
  if (!secret) return (_c, next) => next();
  return async (c, next) => {
    if (carriesOriginSecret(c.req.header(ORIGIN_VERIFY_HEADER), secret)) return next();
    return sendProblem(
      c,
      problem(
        403,
        'forbidden',
        'Forbidden',
        'requests reach this API through its public address only (请通过公开网址访问)',
      ),
    );
  };
}
