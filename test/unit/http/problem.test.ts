import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import {
  CalendarNotCoveredError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  StaleWriteError,
  TooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { fieldProblems, type Problem, problem, problemFor, sendProblem } from '#shared/http/problem.ts';

const BASE = 'https://yimei-credit.hangzhou.example/problems/';

/** The answer a route gives for `p`. */
async function answer(p: Problem) {
  const app = new Hono();
  app.get('/', (c) => sendProblem(c, p));
  const res = await app.request('/');
  return { res, body: await res.json() };
}

describe('problem bodies (RFC 9457)', () => {
  it('maps each domain error to its status, type, title and detail, with its extensions', () => {
    const field = { path: 'score', message: 'must be at most 100' };
    expect(problemFor(new ValidationError('invalid body: score', [field]))).toEqual({
      type: `${BASE}invalid-input`,
      title: 'Invalid input',
      status: 400,
      detail: 'invalid body: score',
      errors: [field],
    });
    expect(problemFor(new TooLargeError('too many rows', 'rows', 5000))).toEqual({
      type: `${BASE}payload-too-large`,
      title: 'Payload too large',
      status: 413,
      detail: 'too many rows',
      limit: 'rows',
      max: 5000,
    });
    expect(problemFor(new UnauthorizedError('token expired'))).toEqual({
      type: `${BASE}unauthorized`,
      title: 'Unauthorized',
      status: 401,
      detail: 'token expired',
    });
    expect(problemFor(new ForbiddenError('not your district'))).toEqual({
      type: `${BASE}forbidden`,
      title: 'Forbidden',
      status: 403,
      detail: 'not your district',
    });
    expect(problemFor(new NotFoundError('no institution 1'))).toEqual({
      type: `${BASE}not-found`,
      title: 'Not found',
      status: 404,
      detail: 'no institution 1',
    });
    expect(problemFor(new ConflictError('not in publicity', 'in-publicity'))).toEqual({
      type: `${BASE}conflict`,
      title: 'Conflict',
      status: 409,
      detail: 'not in publicity',
      precondition: 'in-publicity',
    });
    expect(problemFor(new StaleWriteError('changed meanwhile'))).toEqual({
      type: `${BASE}conflict`,
      title: 'Conflict',
      status: 409,
      detail: 'changed meanwhile',
    });
    expect(problemFor(new TooManyRequestsError('3 a day', 3600, 'objections-per-client'))).toEqual({
      type: `${BASE}too-many-requests`,
      title: 'Too many requests',
      status: 429,
      detail: '3 a day',
      limit: 'objections-per-client',
      retryAfter: 3600,
    });
    expect(problemFor(new UnavailableError('S3 did not answer', 30, new Error('secret cause')))).toEqual({
      type: `${BASE}unavailable`,
      title: 'Service unavailable',
      status: 503,
      detail: 'S3 did not answer',
      retryAfter: 30,
    });
    expect(
      problemFor(new RuleViolationError('a D may not apply', 'upgrade_not_allowed', { grade: 'D' })),
    ).toEqual({
      type: `${BASE}upgrade-not-allowed`,
      title: 'Refused by a rule',
      status: 422,
      detail: 'a D may not apply',
      rule: 'upgrade_not_allowed',
      grade: 'D',
    });
    expect(problemFor(new CalendarNotCoveredError(2031))).toEqual({
      type: `${BASE}calendar-not-covered`,
      title: 'Working-day calendar not covered',
      status: 422,
      detail: new CalendarNotCoveredError(2031).message,
      year: 2031,
    });
  });

  it('maps the framework’s refusals and a syntax error, and hides anything else behind a 500', () => {
    expect(problemFor(new HTTPException(413))).toEqual({
      type: `${BASE}payload-too-large`,
      title: 'Payload too large',
      status: 413,
      detail: 'the request body is too large',
    });
    expect(problemFor(new HTTPException(415, { message: 'unsupported media type' }))).toEqual({
      type: `${BASE}http-error`,
      title: 'unsupported media type',
      status: 415,
      detail: 'unsupported media type',
    });
    expect(problemFor(new HTTPException(400))).toEqual({
      type: `${BASE}http-error`,
      title: 'Request refused',
      status: 400,
      detail: 'request refused',
    });
    expect(problemFor(new SyntaxError('Unexpected token'))).toEqual({
      type: `${BASE}malformed-json`,
      title: 'Malformed JSON',
      status: 400,
      detail: 'the request body is not valid JSON',
    });
    expect(problemFor(new Error('table secret-table not found'))).toEqual({
      type: `${BASE}internal`,
      title: 'Internal error',
      status: 500,
      detail: 'an unexpected error occurred; it has been logged',
    });
  });

  it('is sent as application/problem+json, never cached', async () => {
    const { res, body } = await answer(problem(404, 'not-found', 'Not found', 'no such thing'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.headers.get('retry-after')).toBeNull();
    expect(body).toEqual({
      type: `${BASE}not-found`,
      title: 'Not found',
      status: 404,
      detail: 'no such thing',
    });
  });

  it('asks for a bearer token on 401 and says when to retry on 429 and 503 only', async () => {
    expect(
      (await answer(problemFor(new UnauthorizedError('no token')))).res.headers.get('www-authenticate'),
    ).toBe('Bearer');
    const limited = await answer(problemFor(new TooManyRequestsError('slow down', 120, 'x')));
    expect(limited.res.status).toBe(429);
    expect(limited.res.headers.get('retry-after')).toBe('120');
    const down = await answer(problemFor(new UnavailableError('down', 30)));
    expect(down.res.status).toBe(503);
    expect(down.res.headers.get('retry-after')).toBe('30');
    // A retryAfter on another status, or one that is not a number, sends no header.
    expect(
      (await answer(problem(409, 'conflict', 'Conflict', 'x', { retryAfter: 5 }))).res.headers.get(
        'retry-after',
      ),
    ).toBeNull();
    expect(
      (await answer(problem(429, 'x', 'x', 'x', { retryAfter: '5' }))).res.headers.get('retry-after'),
    ).toBeNull();
  });
});

describe('field problems from validation issues', () => {
  it('names each field by its dotted path, or the whole target when the issue has none', () => {
    expect(
      fieldProblems('body', [
        { path: ['contacts', 'phones', 1], message: 'not a phone number' },
        { path: [], message: 'expected an object' },
      ]),
    ).toEqual([
      { path: 'contacts.phones.1', message: 'not a phone number' },
      { path: 'body', message: 'expected an object' },
    ]);
  });
});
