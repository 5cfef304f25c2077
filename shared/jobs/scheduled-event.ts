import * as z from 'zod';
import type { Clock } from '../clock.ts';
import { isValidDate } from '../domain/dates.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Job, JobReport } from './job.ts';

/**
 * The input EventBridge Scheduler sends: `{"job": "reminders"}`, or with a `date` to re-run a given
 * day by hand. Without a date the job runs for today in Asia/Shanghai (the schedules use that zone).
 */
export const ScheduledJobEventSchema = z.object({
  job: z.string().min(1).max(64),
  date: z.string().refine(isValidDate, 'must be a calendar date YYYY-MM-DD').optional(),
});

export async function runScheduledJob(
  jobs: readonly Job[],
  event: unknown,
  clock: Clock,
): Promise<JobReport> {
  const parsed = ScheduledJobEventSchema.safeParse(event);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      path: i.path.join('.') || 'event',
      message: i.message,
    }));
    throw new ValidationError(
      `invalid scheduled event: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  const job = jobs.find((j) => j.name === parsed.data.job);
  if (!job) {
    throw new ValidationError(`unknown job ${parsed.data.job}`, [
      { path: 'job', message: `one of ${jobs.map((j) => j.name).join(', ')}` },
    ]);
  }
  return job.run(parsed.data.date ?? clock.today());
}
