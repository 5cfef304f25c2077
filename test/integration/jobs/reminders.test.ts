import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import { firstPendingReminder } from '#shared/domain/review.ts';
import { RemindersJob } from '#shared/jobs/reminders.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { JobStateStore } from '#shared/store/job-state.ts';
import { ReminderIndex } from '#shared/store/reminder-index.ts';
import { privateFixture, profileFixture, seedInstitutions } from '../../support/institutions.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { memoryNotifier } from '../../support/notices.ts';

const TODAY = '2026-12-01';

/** An index whose first `failures` moves lose a race to a concurrent writer. */
class ContendedIndex extends ReminderIndex {
  constructor(
    db: ConstructorParameters<typeof ReminderIndex>[0],
    table: string,
    private failures: number,
  ) {
    super(db, table);
  }
  override async advance(...args: Parameters<ReminderIndex['advance']>) {
    if (this.failures > 0) {
      this.failures--;
      throw new ConflictError('changed concurrently');
    }
    return super.advance(...args);
  }
}

/** A profile whose review is due on `due`, with the reminder it is owed as of `asOf`. */
function dueProfile(n: number, due: string, asOf: string, extra = {}) {
  return profileFixture(n, { nextReviewDue: due, nextReminder: firstPendingReminder(due, asOf), ...extra });
}

describe('reminders job against dynalite', () => {
  const dynamo = useTestDynamo();

  async function setup(profiles: ReturnType<typeof profileFixture>[], failAdvances = 0) {
    const table = await dynamo.freshTable();
    await seedInstitutions(
      dynamo.db,
      table,
      profiles,
      profiles.map((p, i) => privateFixture(Number(p.uscc.slice(10, 17)) || i)),
    );
    const sink = memoryNotifier(dynamo.db, table);
    const reader = new InstitutionReader(dynamo.db, table);
    const index =
      failAdvances > 0
        ? new ContendedIndex(dynamo.db, table, failAdvances)
        : new ReminderIndex(dynamo.db, table);
    const job = (date: string) =>
      new RemindersJob({
        index,
        reader,
        state: new JobStateStore(dynamo.db, table),
        notifier: sink.notifier,
        clock: fixedClock(`${date}T09:00:00+08:00`),
      });
    return { sink, reader, job };
  }

  it('sends each due institution each reminder exactly once, however often it runs that day', async () => {
    const profiles = [
      dueProfile(1, '2027-03-01', TODAY), // due_90 today
      dueProfile(2, '2026-12-31', TODAY), // due_30 today
      dueProfile(3, '2026-12-08', TODAY), // due_7 today
      dueProfile(4, '2026-11-30', '2026-11-23', { nextReminder: { point: 'overdue', on: TODAY } }),
      dueProfile(5, '2026-12-12', '2026-11-20'), // due_7 on 12-05: not today
      dueProfile(6, '2027-03-01', TODAY, { closed: true }), // closed: not in the index, told nothing
    ];
    const { sink, reader, job } = await setup(profiles);

    const first = await job(TODAY).run(TODAY);
    const second = await job(TODAY).run(TODAY);

    const sent = sink.all().map((m) => `${m.uscc}|${m.kind}|${m.channel}`);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.sort()).toEqual(
      [
        [profiles[0]!, 'review_due_90'],
        [profiles[1]!, 'review_due_30'],
        [profiles[2]!, 'review_due_7'],
        [profiles[3]!, 'review_overdue'],
      ]
        .flatMap(([p, kind]) => [
          `${(p as { uscc: string }).uscc}|${kind}|sms`,
          `${(p as { uscc: string }).uscc}|${kind}|wechat`,
        ])
        .sort(),
    );
    expect(sink.all().every((m) => m.cycle === m.params.due)).toBe(true);
    // Read cost: the four profiles listed under the day, nothing else.
    expect(first).toMatchObject({ itemsRead: 4, flaggedOverdue: 1 });
    expect(second).toMatchObject({ itemsRead: 0, reminders: {} });

    const p1 = await reader.getProfile(profiles[0]!.uscc, true);
    expect(p1?.nextReminder).toEqual({ point: 'due_30', on: '2027-01-30' });
    const p4 = await reader.getProfile(profiles[3]!.uscc, true);
    expect(p4).toMatchObject({ reviewOverdue: true, nextReminder: null });
    const p5 = await reader.getProfile(profiles[4]!.uscc, true);
    expect(p5?.version).toBe(1);
    expect(sent.some((s) => s.startsWith(profiles[5]!.uscc))).toBe(false);
  });

  it('catches up a day the job did not run, and then goes on to the next reminder on its day', async () => {
    const profiles = [
      dueProfile(11, '2027-03-01', TODAY), // due_90 on 12-01
      dueProfile(12, '2027-01-01', '2026-12-02'), // due_30 on 12-02
    ];
    const { sink, reader, job } = await setup(profiles);
    await job('2026-11-30').run('2026-11-30');
    expect(sink.all()).toHaveLength(0);

    // 12-01 is skipped; the run on 12-02 covers both days.
    const report = await job('2026-12-02').run('2026-12-02');
    expect(report).toMatchObject({ from: '2026-12-01', days: 2, itemsRead: 2 });
    expect(
      sink
        .all()
        .map((m) => `${m.uscc}|${m.kind}|${m.channel}`)
        .sort(),
    ).toEqual(
      [
        `${profiles[0]!.uscc}|review_due_90|sms`,
        `${profiles[0]!.uscc}|review_due_90|wechat`,
        `${profiles[1]!.uscc}|review_due_30|sms`,
        `${profiles[1]!.uscc}|review_due_30|wechat`,
      ].sort(),
    );

    // The next reminder of institution 12 (7 days before 2027-01-01) goes out on 2026-12-25, once.
    await job('2026-12-25').run('2026-12-25');
    await job('2026-12-25').run('2026-12-25');
    const due7 = sink.all().filter((m) => m.uscc === profiles[1]!.uscc && m.kind === 'review_due_7');
    expect(due7).toHaveLength(2);
    expect((await reader.getProfile(profiles[1]!.uscc, true))?.nextReminder).toEqual({
      point: 'overdue',
      on: '2027-01-02',
    });
  });

  it('does not repeat a reminder whose profile was already moved on when a run repeats after a crash', async () => {
    const profiles = [dueProfile(21, '2026-12-31', TODAY)];
    const { sink, job } = await setup(profiles);
    // A crashed run notified but never moved the profile on: the repeat is dropped by the claim.
    await sink.notifier.notify([
      {
        uscc: profiles[0]!.uscc,
        kind: 'review_due_30',
        cycle: '2026-12-31',
        params: { due: '2026-12-31' },
        on: TODAY,
      },
    ]);
    await job(TODAY).run(TODAY);
    expect(sink.all()).toHaveLength(2);
    expect(sink.notifier.stats.duplicates).toBe(2);
  });

  it('retries a profile changed concurrently, and leaves one still contended for the next run without moving the watermark past it', async () => {
    const profiles = [dueProfile(31, '2026-12-31', TODAY)];
    const once = await setup(profiles, 1);
    expect(await once.job(TODAY).run(TODAY)).toMatchObject({ conflicts: 1, leftOver: 0 });
    expect((await once.reader.getProfile(profiles[0]!.uscc, true))?.nextReminder?.point).toBe('due_7');

    const twice = await setup(profiles, 2);
    const first = await twice.job(TODAY).run(TODAY);
    expect(first).toMatchObject({ conflicts: 1, leftOver: 1 });
    const next = await twice.job('2026-12-02').run('2026-12-02');
    expect(next).toMatchObject({ from: TODAY, leftOver: 0 });
    expect((await twice.reader.getProfile(profiles[0]!.uscc, true))?.nextReminder?.point).toBe('due_7');
    expect(twice.sink.all().filter((m) => m.kind === 'review_due_30')).toHaveLength(2);
  });
});
