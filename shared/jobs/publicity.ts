import type { Clock } from '../clock.ts';
import { addDays, shanghaiIso } from '../domain/dates.ts';
import { ConflictError } from '../domain/errors.ts';
import { nextStatus, publicityHasEnded } from '../domain/lifecycle.ts';
import type { GradingResult } from '../domain/model.ts';
import { refusal } from '../domain/preconditions.ts';
import type { LocalDate } from '../domain/types.ts';
import type { NoticeIntent, Notifier } from '../notify/port.ts';
import { publicityStartedEvent } from '../services/result-projection.ts';
import type { AuditStore } from '../store/audit.ts';
import { EventAppendInProgressError, type EventStore } from '../store/events.ts';
import type { InstitutionReader } from '../store/institution-reader.ts';
import type { JobStateStore } from '../store/job-state.ts';
import type { ResultStore } from '../store/results.ts';
import type { Job, JobReport } from './job.ts';

export const PUBLICITY_JOB = 'publicity';
/** First run without a watermark: publicity that started this many days back is still announced. */
export const PUBLICITY_LOOKBACK_DAYS = 7;
const PAGE_SIZE = 100;

export interface PublicityJobDeps {
  results: ResultStore;
  reader: InstitutionReader;
  audit: AuditStore;
  state: JobStateStore;
  notifier: Notifier;
  clock: Clock;
  /** The change feed: publicity posted for a later day gets its `publicity_started` event on that day. */
  events?: EventStore;
}

/**
 * Daily publicity bookkeeping (DOMAIN.md step 3–4), through the sparse PUBLICITY index only:
 * - a result whose publicity has ended becomes `publicity_ended` and the guidance group is told it
 *   awaits confirmation (told first, then the status changes: a crash in between repeats the notice,
 *   which the claim drops);
 * - a result whose publicity started since the last run is announced to its institution (a
 *   publicity posted for a later day is announced on that day).
 */
export class PublicityJob implements Job {
  readonly name = PUBLICITY_JOB;

  constructor(private readonly deps: PublicityJobDeps) {}

  async run(date: LocalDate): Promise<JobReport> {
    const ended = await this.endFinished(date);
    const started = await this.announceStarted(date);
    await this.deps.state.advance(this.name, date, this.deps.clock.now());
    return { job: this.name, date, ...ended, ...started };
  }

  private async endFinished(date: LocalDate) {
    let ended = 0;
    let conflicts = 0;
    let startKey: Record<string, unknown> | null = null;
    do {
      const page = await this.deps.results.listInPublicity({
        endingOnOrBefore: addDays(date, -1),
        startKey,
        limit: PAGE_SIZE,
      });
      for (const listed of page.items) {
        try {
          if (await this.endOne(listed, date)) ended++;
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          conflicts++;
        }
      }
      startKey = page.lastKey;
    } while (startKey);
    return { publicityEnded: ended, conflicts };
  }

  private async endOne(listed: GradingResult, date: LocalDate): Promise<boolean> {
    // The index may lag: decide on the stored result.
    const result = await this.deps.results.get(listed.id);
    if (!result) return false;
    const profile = await this.deps.reader.getProfile(result.uscc);
    const facts = { today: date, result, institution: profile ?? { closed: false, grade: null } };
    const status = nextStatus(result.kind, result.status, 'end_publicity');
    if (refusal('end_publicity', facts) || !status || !result.publicity) return false;
    await this.deps.notifier.notify([
      {
        uscc: result.uscc,
        kind: 'publicity_ended',
        cycle: result.id,
        params: {
          name: profile?.name ?? null,
          uscc: result.uscc,
          score: result.score,
          proposedGrade: result.grade,
          endOn: result.publicity.endOn,
        },
        on: date,
      },
    ]);
    const at = shanghaiIso(this.deps.clock.now());
    await this.deps.results.replace(result, { ...result, status, updatedAt: at });
    await this.deps.audit.record({
      uscc: result.uscc,
      at,
      actor: { subject: `job:${this.name}`, role: 'system' },
      action: 'end_publicity',
      before: { resultId: result.id, status: result.status },
      after: { resultId: result.id, status },
    });
    return true;
  }

  private async announceStarted(date: LocalDate) {
    const state = await this.deps.state.get(this.name);
    let from = state ? addDays(state.lastDay, 1) : addDays(date, -PUBLICITY_LOOKBACK_DAYS);
    if (from > date) from = date;
    const intents: NoticeIntent[] = [];
    let startKey: Record<string, unknown> | null = null;
    do {
      const page = await this.deps.results.listInPublicity({ startKey, limit: PAGE_SIZE });
      for (const r of page.items) {
        if (r.status !== 'in_publicity' || !r.publicity) continue;
        const { startOn, endOn } = r.publicity;
        if (startOn < from || startOn > date || publicityHasEnded(endOn, date)) continue;
        await this.deps.events
          ?.append(publicityStartedEvent(r, shanghaiIso(this.deps.clock.now())))
          .catch((err: unknown) => {
            // Another run is appending the same event right now; it finishes it.
            if (!(err instanceof EventAppendInProgressError)) throw err;
          });
        const profile = await this.deps.reader.getProfile(r.uscc);
        intents.push({
          uscc: r.uscc,
          kind: 'publicity_started',
          cycle: r.id,
          params: { name: profile?.name ?? null, score: r.score, proposedGrade: r.grade, startOn, endOn },
          on: date,
        });
      }
      startKey = page.lastKey;
    } while (startKey);
    await this.deps.notifier.notify(intents);
    return { publicityStarted: intents.length };
  }
}
