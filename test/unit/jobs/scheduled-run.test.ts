import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import type { Job, JobReport } from '#shared/jobs/job.ts';
import { scheduledRunner } from '#shared/jobs/scheduled-run.ts';

function recordingJob(name: string) {
  const days: string[] = [];
  const job: Job = {
    name,
    async run(date) {
      days.push(date);
      return { job: name, date, sent: 3 };
    },
  };
  return { job, days };
}

function setup() {
  const reminders = recordingJob('reminders');
  const publicity = recordingJob('publicity');
  const logged: JobReport[] = [];
  const run = scheduledRunner([reminders.job, publicity.job], fixedClock('2026-11-23T10:00:00+08:00'), {
    info: (_m, d) => logged.push(d.report as JobReport),
  });
  return { run, reminders, publicity, logged };
}

describe('scheduledRunner', () => {
  it('runs the named job for the Asia/Shanghai day of the scheduled time and logs its report', async () => {
    const { run, publicity, reminders, logged } = setup();
    // 00:10 in Shanghai is 16:10 UTC of the previous day.
    const report = await run({ job: 'publicity', scheduledAt: '2026-11-30T16:10:00Z' });
    expect(publicity.days).toEqual(['2026-12-01']);
    expect(reminders.days).toEqual([]);
    expect(report).toEqual({ job: 'publicity', date: '2026-12-01', sent: 3 });
    expect(logged).toEqual([report]);
  });

  it('prefers an explicit date, and falls back to today', async () => {
    const { run, reminders } = setup();
    await run({ job: 'reminders', date: '2026-12-24', scheduledAt: '2026-11-30T16:10:00Z' });
    await run({ job: 'reminders' });
    expect(reminders.days).toEqual(['2026-12-24', '2026-11-23']);
  });

  it('refuses a malformed event, naming the field', async () => {
    const { run, reminders } = setup();
    await expect(run({ job: 'reminders', date: '2026-02-30' })).rejects.toThrow(/date/);
    await expect(run({ job: 'sweep' })).rejects.toThrow(/job/);
    await expect(run({ job: 'reminders', extra: 1 })).rejects.toThrow(/extra|unrecognized/i);
    await expect(run('reminders')).rejects.toThrow(/invalid scheduled event/);
    expect(reminders.days).toEqual([]);
  });

  it('fails loudly for a known job that is not registered', async () => {
    const { run } = setup();
    await expect(run({ job: 'feed-relay' })).rejects.toThrow('job feed-relay is not registered');
  });

  it('fails the invocation when the job reports failed items, after logging the report', async () => {
    const logged: JobReport[] = [];
    const relay: Job = {
      name: 'feed-relay',
      run: async (date) => ({ job: 'feed-relay', date, failed: [{ id: '3', reason: 'throttled' }] }),
    };
    const run = scheduledRunner([relay], fixedClock('2026-11-23T10:00:00+08:00'), {
      info: (_m, d) => logged.push(d.report as JobReport),
    });
    await expect(run({ job: 'feed-relay' })).rejects.toThrow(/1 item\(s\) failed/);
    expect(logged).toHaveLength(1);
  });
});
