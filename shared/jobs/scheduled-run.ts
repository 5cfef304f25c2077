import type { Clock } from '../clock.ts';
import { JobEventSchema, jobDate } from '../schemas/job-event.ts';
import type { Job, JobReport } from './job.ts';

export interface RunLogger {
  info(message: string, details: Record<string, unknown>): void;
}

/**
 * Runs the job a Scheduler event names, for the day the event is for. A malformed event or an
 * unknown job is an error (the Scheduler retries it, then dead-letters it, and the alarm fires).
 */
export function scheduledRunner(jobs: Job[], clock: Clock, logger: RunLogger) {
  return async (event: unknown): Promise<JobReport> => {
    const parsed = JobEventSchema.safeParse(event);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
      throw new Error(`invalid scheduled event: ${fields.join('; ')}`);
    }
    const job = jobs.find((j) => j.name === parsed.data.job);
    if (!job) throw new Error(`job ${parsed.data.job} is not registered`);
    const date = jobDate(parsed.data, () => clock.today());
    const report = await job.run(date);
    logger.info('job finished', { report });
    // Failing the invocation feeds the Errors alarm; a job leaves failed items for its next run to retry.
    const failed = Array.isArray(report.failed) ? report.failed.length : 0;
    if (failed > 0) throw new Error(`job ${job.name}: ${failed} item(s) failed; the next run retries them`);
    return report;
  };
}
