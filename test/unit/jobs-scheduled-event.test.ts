import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import type { Job } from '#shared/jobs/job.ts';
import { runScheduledJob } from '#shared/jobs/scheduled-event.ts';

const job: Job = {
  name: 'reminders',
  run: async (date) => ({ job: 'reminders', date }),
};

describe('runScheduledJob', () => {
  it('runs the named job for the given day, or for today in Asia/Shanghai', async () => {
    const clock = fixedClock('2026-12-31T17:00:00Z');
    expect(await runScheduledJob([job], { job: 'reminders', date: '2026-12-01' }, clock)).toEqual({
      job: 'reminders',
      date: '2026-12-01',
    });
    expect(await runScheduledJob([job], { job: 'reminders' }, clock)).toEqual({
      job: 'reminders',
      date: '2027-01-01',
    });
  });

  it('refuses an unknown job or a malformed date, naming the field', async () => {
    const clock = fixedClock('2026-12-01T00:00:00Z');
    const unknown = await runScheduledJob([job], { job: 'inspections' }, clock).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).errors[0]?.path).toBe('job');
    const bad = await runScheduledJob([job], { job: 'reminders', date: '2026-02-30' }, clock).catch(
      (e: unknown) => e,
    );
    expect((bad as ValidationError).errors[0]?.path).toBe('date');
  });
});
