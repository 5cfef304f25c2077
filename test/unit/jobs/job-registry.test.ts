import { afterAll, describe, expect, it } from 'vitest';
import { calendarFrom } from '#shared/bootstrap.ts';
import { fixedClock } from '#shared/clock.ts';
import { buildJobs, buildOnDemandJobs } from '#shared/jobs/index.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { JobEventSchema, ON_DEMAND_JOBS, SCHEDULED_JOBS } from '#shared/schemas/job-event.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { testConfig } from '../../support/config.ts';

describe('the jobs the jobs function runs', () => {
  const config = testConfig();
  const db = createDocumentClient({ region: 'cn-north-1', endpoint: 'http://127.0.0.1:1' });
  const clock = fixedClock('2026-11-23T10:00:00+08:00');
  afterAll(() => db.destroy());
  const deps = { config, db, clock, calendar: calendarFrom(config), notifier: new RecordingNotifier() };

  it('schedules exactly the scheduled jobs; the local timer never starts an on-demand one', () => {
    const scheduled = buildJobs({ ...deps, dataDir: '/nonexistent' }).map((j) => j.name);
    expect(scheduled.sort()).toEqual([...SCHEDULED_JOBS].sort());
    expect(scheduled.some((name) => (ON_DEMAND_JOBS as readonly string[]).includes(name))).toBe(false);
  });

  it('runs an on-demand job when invoked by its name, and no other unscheduled name', () => {
    expect(buildOnDemandJobs(deps).map((j) => j.name)).toEqual([...ON_DEMAND_JOBS]);
    expect(JobEventSchema.safeParse({ job: 'campaign-backfill' }).success).toBe(true);
    expect(JobEventSchema.safeParse({ job: 'campaign-sweep' }).success).toBe(false);
  });
});
