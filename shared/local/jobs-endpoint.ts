import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Clock } from '../clock.ts';
import { isValidDate } from '../domain/dates.ts';
import { problem, sendProblem } from '../http/problem.ts';
import type { Job } from '../jobs/job.ts';

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /dev/jobs/{name}?date=YYYY-MM-DD` (local server only): runs one job inside the server, so
 * `npm run job` works while `npm start` holds the data directory. The bearer secret is the one the
 * server wrote to the directory's lock file, readable only by the user who started it.
 */
export function devJobRoutes(opts: { jobs: readonly Job[]; clock: Clock; secret: string }) {
  const app = new Hono();
  app.post('/jobs/:name', async (c) => {
    const auth = c.req.header('Authorization') ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    if (!sameSecret(given, opts.secret)) {
      return sendProblem(
        c,
        problem(
          401,
          'unauthorized',
          'Unauthorized',
          'the bearer secret of the data directory lock is required',
        ),
      );
    }
    const name = c.req.param('name');
    const job = opts.jobs.find((j) => j.name === name);
    if (!job) {
      return sendProblem(
        c,
        problem(
          404,
          'not-found',
          'Not found',
          `unknown job ${name}; jobs: ${opts.jobs.map((j) => j.name).join(', ')}`,
        ),
      );
    }
    const date = c.req.query('date') ?? opts.clock.today();
    if (!isValidDate(date)) {
      return sendProblem(
        c,
        problem(400, 'invalid-input', 'Invalid input', `--date must be YYYY-MM-DD, got ${date}`, {
          errors: [{ path: 'date', message: 'must be a calendar date YYYY-MM-DD' }],
        }),
      );
    }
    return c.json(await job.run(date));
  });
  return app;
}
