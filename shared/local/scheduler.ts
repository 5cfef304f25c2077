import type { Clock } from '../clock.ts';
import type { Job, JobReport } from '../jobs/job.ts';

/**
 * The local stand-in for EventBridge Scheduler: runs every job once at start and again whenever the
 * Asia/Shanghai date changes. Jobs are idempotent, so an extra run is harmless.
 */
export function startScheduler(opts: {
  jobs: Job[];
  clock: Clock;
  intervalMs?: number;
  onReport?: (report: JobReport) => void;
  onError?: (job: string, err: unknown) => void;
}): { stop(): void; runNow(): Promise<void> } {
  let lastDate: string | null = null;
  let running = false;
  const tick = async () => {
    const today = opts.clock.today();
    if (running || today === lastDate) return;
    running = true;
    try {
      for (const job of opts.jobs) {
        try {
          opts.onReport?.(await job.run(today));
        } catch (err) {
          opts.onError?.(job.name, err);
        }
      }
      lastDate = today;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow: tick };
}
