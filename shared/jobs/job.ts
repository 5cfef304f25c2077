import type { LocalDate } from '../domain/types.ts';

/** What a job reports after a run (logged, and printed by `npm run job`). */
export interface JobReport {
  job: string;
  date: LocalDate;
  [figure: string]: unknown;
}

/**
 * A job: run by EventBridge Scheduler in AWS and the in-process timer locally, or only when invoked by
 * name for the on-demand ones (`buildOnDemandJobs`). Runs are idempotent.
 */
export interface Job {
  name: string;
  run(date: LocalDate): Promise<JobReport>;
}
