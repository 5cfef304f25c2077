import type { Clock } from '../clock.ts';
import { addDays, shanghaiIso } from '../domain/dates.ts';
import { ConflictError } from '../domain/errors.ts';
import type { InstitutionProfile } from '../domain/model.ts';
import { planReminder, REMINDER_NOTICE_KIND } from '../domain/reminder-plan.ts';
import type { LocalDate } from '../domain/types.ts';
import type { NoticeIntent, Notifier } from '../notify/port.ts';
import type { InstitutionReader } from '../store/institution-reader.ts';
import type { JobStateStore } from '../store/job-state.ts';
import type { ReminderIndex } from '../store/reminder-index.ts';
import type { Job, JobReport } from './job.ts';

export const REMINDERS_JOB = 'reminders';
/** On the very first run there is no watermark: look back this far for reminders missed before. */
export const FIRST_RUN_LOOKBACK_DAYS = 30;
/** Never walk back further than a year, however old the watermark (one empty Query per day). */
export const MAX_CATCH_UP_DAYS = 366;
const PAGE_SIZE = 100;
const WRITE_CONCURRENCY = 8;

export interface RemindersJobDeps {
  index: ReminderIndex;
  reader: InstitutionReader;
  state: JobStateStore;
  notifier: Notifier;
  clock: Clock;
}

/**
 * Re-review reminders (DOMAIN.md "Dynamic management"): for every day since the last run, the
 * profiles listed under that day in the sparse index are told (90/30/7 days before, or overdue) and
 * their bookkeeping moves on to the next reminder. Notices go out BEFORE the profile moves on: a crash
 * in between repeats the notice on the next run, and the notice claim drops the repeat.
 */
export class RemindersJob implements Job {
  readonly name = REMINDERS_JOB;

  constructor(private readonly deps: RemindersJobDeps) {}

  async run(date: LocalDate): Promise<JobReport> {
    const state = await this.deps.state.get(this.name);
    const earliest = addDays(date, -MAX_CATCH_UP_DAYS);
    let from = state ? addDays(state.lastDay, 1) : addDays(date, -FIRST_RUN_LOOKBACK_DAYS);
    // A rerun for a day already done reads that day again: whatever is still listed there is still owed.
    if (from > date) from = date;
    if (from < earliest) from = earliest;
    const readBefore = this.deps.index.itemsRead;
    const sent: Record<string, number> = {};
    let days = 0;
    let conflicts = 0;
    let flaggedOverdue = 0;
    let leftOver = 0;
    for (let day = from; day <= date; day = addDays(day, 1)) {
      days++;
      let startKey: Record<string, unknown> | null = null;
      do {
        const page = await this.deps.index.dueOn(day, startKey, PAGE_SIZE);
        const outcome = await this.processPage(page.items, date);
        for (const [kind, n] of Object.entries(outcome.sent)) sent[kind] = (sent[kind] ?? 0) + n;
        conflicts += outcome.conflicts;
        flaggedOverdue += outcome.flaggedOverdue;
        leftOver += outcome.leftOver;
        startKey = page.lastKey;
      } while (startKey);
      // A profile still listed under this day (contended twice) must be read again: the watermark stays
      // before it, and the next run re-reads from here (what was done has left the index, so that is cheap).
      if (leftOver === 0) await this.deps.state.advance(this.name, day, this.deps.clock.now());
    }
    return {
      job: this.name,
      date,
      from,
      days,
      itemsRead: this.deps.index.itemsRead - readBefore,
      reminders: sent,
      flaggedOverdue,
      conflicts,
      leftOver,
    };
  }

  private async processPage(profiles: InstitutionProfile[], today: LocalDate) {
    const sent: Record<string, number> = {};
    const planned = profiles
      .map((profile) => ({ profile, plan: planReminder(profile, today) }))
      .filter((x): x is { profile: InstitutionProfile; plan: NonNullable<typeof x.plan> } => x.plan !== null);
    const intents: NoticeIntent[] = [];
    for (const { profile, plan } of planned) {
      if (!plan.send || !plan.due) continue;
      intents.push(reminderIntent(profile, plan.send, plan.due, today));
      sent[REMINDER_NOTICE_KIND[plan.send]] = (sent[REMINDER_NOTICE_KIND[plan.send]] ?? 0) + 1;
    }
    await this.deps.notifier.notify(intents);

    let conflicts = 0;
    let flaggedOverdue = 0;
    let leftOver = 0;
    const updatedAt = shanghaiIso(this.deps.clock.now());
    const tasks = planned.map(({ profile, plan }) => async () => {
      try {
        await this.deps.index.advance(profile, {
          nextReminder: plan.next,
          reviewOverdue: plan.reviewOverdue,
          updatedAt,
        });
        if (plan.reviewOverdue && !profile.reviewOverdue) flaggedOverdue++;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        conflicts++;
        try {
          if (await this.retryAfterConflict(profile.uscc, today, updatedAt)) flaggedOverdue++;
        } catch (again) {
          // Still contended: it stays in the index and the next run picks it up.
          if (!(again instanceof ConflictError)) throw again;
          leftOver++;
        }
      }
    });
    await runLimited(tasks, WRITE_CONCURRENCY);
    return { sent, conflicts, flaggedOverdue, leftOver };
  }

  /**
   * Someone changed the profile since the index was read (or the index lagged). Read it again: if the
   * same reminder is still owed, it was just notified (the claim drops a repeat), so move it on;
   * otherwise the newer profile (e.g. a new due date) decides and the next run handles it.
   */
  private async retryAfterConflict(uscc: string, today: LocalDate, updatedAt: string): Promise<boolean> {
    const fresh = await this.deps.reader.getProfile(uscc, true);
    if (!fresh) return false;
    const plan = planReminder(fresh, today);
    if (!plan?.send || !plan.due) return false;
    await this.deps.notifier.notify([reminderIntent(fresh, plan.send, plan.due, today)]);
    await this.deps.index.advance(fresh, {
      nextReminder: plan.next,
      reviewOverdue: plan.reviewOverdue,
      updatedAt,
    });
    return plan.reviewOverdue && !fresh.reviewOverdue;
  }
}

function reminderIntent(
  profile: InstitutionProfile,
  point: keyof typeof REMINDER_NOTICE_KIND,
  due: LocalDate,
  today: LocalDate,
): NoticeIntent {
  return {
    uscc: profile.uscc,
    kind: REMINDER_NOTICE_KIND[point],
    // The due date identifies the review cycle: a new publication starts a new cycle with new reminders.
    cycle: due,
    params: { due, name: profile.name ?? null },
    on: today,
  };
}

export async function runLimited(tasks: Array<() => Promise<unknown>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
