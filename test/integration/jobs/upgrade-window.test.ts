import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { UpgradeWindowJob } from '#shared/jobs/upgrade-window.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { JobStateStore } from '#shared/store/job-state.ts';
import { privateFixture, profileFixture, seedInstitutions, usccNo } from '../../support/institutions.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { memoryNotifier } from '../../support/notices.ts';

describe('upgrade-window job against dynalite', () => {
  const dynamo = useTestDynamo();

  async function setup() {
    const table = await dynamo.freshTable();
    const profiles = [
      profileFixture(1, { grade: 'B' }),
      profileFixture(2, { grade: 'C' }),
      profileFixture(3, { grade: 'A' }),
      profileFixture(4, { grade: 'D' }),
      profileFixture(5, { grade: 'C' }), // banned until 2027-06-01
      profileFixture(6, { grade: 'B', closed: true, closedOn: '2026-10-01' }),
      profileFixture(7, { grade: null }),
      profileFixture(8, { grade: 'B' }), // ban over on 2027-01-01
    ];
    const privates = profiles.map((_p, i) =>
      privateFixture(i + 1, {
        upgradeBanUntil: i + 1 === 5 ? '2027-06-01' : i + 1 === 8 ? '2027-01-01' : null,
      }),
    );
    await seedInstitutions(dynamo.db, table, profiles, privates);
    const sink = memoryNotifier(dynamo.db, table);
    const job = (date: string) =>
      new UpgradeWindowJob({
        reader: new InstitutionReader(dynamo.db, table),
        db: dynamo.db,
        table,
        state: new JobStateStore(dynamo.db, table),
        notifier: sink.notifier,
        clock: fixedClock(`${date}T00:10:00+08:00`),
      });
    return { sink, job };
  }

  it('tells every open B and C institution that is not banned, once, on 1 January', async () => {
    const { sink, job } = await setup();
    const report = await job('2027-01-01').run('2027-01-01');
    await job('2027-01-01').run('2027-01-01');
    await job('2027-01-02').run('2027-01-02');
    expect(report).toMatchObject({ notified: 3, banned: 1, closed: 1 });
    const told = sink.all().filter((m) => m.channel === 'sms');
    expect(told.map((m) => m.uscc).sort()).toEqual([usccNo(1), usccNo(2), usccNo(8)].sort());
    expect(told.every((m) => m.kind === 'upgrade_window' && m.cycle === '2027')).toBe(true);
    // The job read each private item once, with the ban; the notifier did not read them again.
    expect(sink.directory.itemsRead).toBe(0);
  });

  it('does nothing outside January', async () => {
    const { sink, job } = await setup();
    expect(await job('2027-03-01').run('2027-03-01')).toMatchObject({ skipped: expect.any(String) });
    expect(sink.all()).toHaveLength(0);
  });
});
