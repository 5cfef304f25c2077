import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  CalendarNotCoveredError,
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  TooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../domain/errors.ts';

/** RFC 9457 problem details, the body of every error answer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://yimei-credit.hangzhou.example/problems/';

export function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  extra: Partial<Problem> = {},
) {
  return { type: `${PROBLEM_BASE}${slug}`, title, status, detail, ...extra } satisfies Problem;
}

export function sendProblem(c: Context, p: Problem): Response {
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Cache-Control': 'no-store',
  };
  if (p.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  if ((p.status === 429 || p.status === 503) && typeof p.retryAfter === 'number')
    headers['Retry-After'] = String(p.retryAfter);
  return c.body(JSON.stringify(p), p.status as ContentfulStatusCode, headers);
}

/** Maps a thrown error to its problem; anything unknown is a 500 whose body reveals nothing. */
export function problemFor(err: unknown): Problem {
  if (err instanceof ValidationError)
    return problem(400, 'invalid-input', 'Invalid input', err.message, { errors: err.errors });
  if (err instanceof TooLargeError)
    return problem(413, 'payload-too-large', 'Payload too large', err.message, {
      limit: err.limit,
      max: err.max,
    });
  if (err instanceof UnauthorizedError) return problem(401, 'unauthorized', 'Unauthorized', err.message);
  if (err instanceof ForbiddenError) return problem(403, 'forbidden', 'Forbidden', err.message);
  if (err instanceof NotFoundError) return problem(404, 'not-found', 'Not found', err.message);
  if (err instanceof ConflictError) {
    return problem(
      409,
      'conflict',
      'Conflict',
      err.message,
      err.precondition ? { precondition: err.precondition } : {},
    );
  }
  if (err instanceof TooManyRequestsError) {
    return problem(429, 'too-many-requests', 'Too many requests', err.message, {
      limit: err.limit,
      retryAfter: err.retryAfterSeconds,
    });
  }
  if (err instanceof UnavailableError) {
    return problem(503, 'unavailable', 'Service unavailable', err.message, {
      retryAfter: err.retryAfterSeconds,
    });
  }
  if (err instanceof RuleViolationError) {
    return problem(422, err.rule.replace(/_/g, '-'), 'Refused by a rule', err.message, {
      rule: err.rule,
      ...err.details,
    });
  }
  if (err instanceof CalendarNotCoveredError) {
    return problem(422, 'calendar-not-covered', 'Working-day calendar not covered', err.message, {
      year: err.year,
    });
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413)
      return problem(413, 'payload-too-large', 'Payload too large', 'the request body is too large');
    return problem(status, 'http-error', err.message || 'Request refused', err.message || 'request refused');
  }
  if (err instanceof SyntaxError)
    return problem(400, 'malformed-json', 'Malformed JSON', 'the request body is not valid JSON');
  return problem(500, 'internal', 'Internal error', 'an unexpected error occurred; it has been logged');
}

/** Turns zod issues into the `errors` list, naming each field. */
export function fieldProblems(
  target: string,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldProblem[] {
  return issues.map((i) => ({
    path: i.path.length > 0 ? i.path.map((p) => String(p)).join('.') : target,
    message: i.message,
  }));
}
