import * as z from 'zod';
import { isValidDate, shanghaiDate } from '../domain/dates.ts';
import type { LocalDate } from '../domain/types.ts';

/** The scheduled jobs EventBridge Scheduler can start (infra/stateless-stack.ts SCHEDULES). */
export const SCHEDULED_JOBS = [
  'reminders',
  'publicity',
  'upgrade-window',
  'feed-relay',
  'notice-outbox',
  'grades-export',
  'register-snapshot',
  'calendar-coverage',
] as const;
export type ScheduledJob = (typeof SCHEDULED_JOBS)[number];

/**
 * Jobs the jobs function runs only when invoked by hand (`{"job": NAME}`), never on a schedule:
 * one-off data migrations and the dead-letter move, idempotent and resumable, so running one again is
 * harmless.
 */
export const ON_DEMAND_JOBS = ['campaign-backfill', 'dead-letters'] as const;
export type OnDemandJob = (typeof ON_DEMAND_JOBS)[number];

/**
 * The input of one run (a schedule's, or an on-demand job invoked by hand): `{job, date?, scheduledAt?}`. `date` forces a day (manual
 * re-runs); otherwise the day is the Asia/Shanghai date of `scheduledAt`, the Scheduler's own
 * scheduled time, so a retried or late invocation still runs the day it was meant for.
 */
export const JobEventSchema = z.strictObject({
  job: z.enum([...SCHEDULED_JOBS, ...ON_DEMAND_JOBS]),
  date: z.string().refine(isValidDate, 'must be a calendar date YYYY-MM-DD').optional(),
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
});

export type JobEvent = z.infer<typeof JobEventSchema>;

/** The day a run is for: the forced date, else the scheduled time's date, else today. */
export function jobDate(event: JobEvent, today: () => LocalDate): LocalDate {
  if (event.date) return event.date;
  if (event.scheduledAt) return shanghaiDate(new Date(event.scheduledAt));
  return today();
}
