import type { Context, Hono } from 'hono';
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
