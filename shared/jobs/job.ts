import type { LocalDate } from '../domain/types.ts';

/** What a scheduled job reports after a run (logged, and printed by `npm run job`). */
export interface JobReport {
  job: string;
  date: LocalDate;
  [figure: string]: unknown;
}

/** A scheduled job: EventBridge Scheduler in AWS, the in-process timer locally. Runs are idempotent. */
export interface Job {
  name: string;
  run(date: LocalDate): Promise<JobReport>;
}
