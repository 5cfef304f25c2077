import type { Clock } from '../clock.ts';
import { shanghaiIso } from '../domain/dates.ts';
import type { LocalDate } from '../domain/types.ts';
import { applicationId } from '../services/upgrades.ts';
import {
  type BackfillProgress,
  type CampaignKeyBackfill,
  type KeyingCount,
  noKeying,
  type WalkedRow,
} from '../store/campaign-key-backfill.ts';
import type { Job, JobReport } from './job.ts';

export const CAMPAIGN_BACKFILL_JOB = 'campaign-backfill';

export interface CampaignBackfillDeps {
  store: CampaignKeyBackfill;
  clock: Clock;
  /** The service secret upgrade application ids are keyed with (`applicationId`). */
  cursorSecret: string;
  /** Institutions per invocation at most; the next invocation continues after the last one done. */
  maxInstitutions?: number;
  /** Institutions read and keyed together (one BatchGet of their private items). */
  pageSize?: number;
  /** Institutions whose results are queried at the same time. */
  concurrency?: number;
  /**
   * Wall time an invocation may spend before it stops at the end of a page (the jobs function times
   * out at 300 s). Wall time, not the service clock, which a fixed `--now` freezes.
   */
  budgetMs?: number;
  wall?: () => number;
}

/**
 * Ids an application of `uscc` in `year` may be stored under: the id keyed with the service secret,
 * and the plain `<uscc>-<year>` applications were given before ids were made unguessable.
 */
export function applicationIdsOf(secret: string, uscc: string, years: readonly number[]): string[] {
  return years.flatMap((year) => [applicationId(secret, uscc, year), `${uscc}-${year}`]);
}

const add = (a: KeyingCount, b: KeyingCount): KeyingCount => ({
  examined: a.examined + b.examined,
  keyed: a.keyed + b.keyed,
  raced: a.raced + b.raced,
});

/** A pass not yet begun: from the first institution, nothing counted. */
const freshPass = (): BackfillProgress => ({
  after: '',
  passStartedAt: null,
  institutions: 0,
  results: noKeying(),
  applications: noKeying(),
  rows: noKeying(),
});

/**
 * One-off, on demand: gives results and upgrade applications stored before the campaign keys existed
 * their gsi3 campaign key (`CR#<year>` / `CU#<year>`), so the yearly campaign sees them, and register
 * rows written before `registeredOn` or `address` were kept those fields from their profile (the date
 * places the institution in a campaign; the address makes its words find it). It walks the register rows
 * in uscc order (Queries, no Scan); for each institution it queries its results and reads its
 * applications by id (from the years on its private item), and sets the key with a conditional
 * UpdateItem that changes nothing else: no change event, no notice, no audit entry (the campaign is
 * derived, and the item's content is unchanged). Bounded per invocation; its progress (the last
 * uscc done) is kept under `JOB#campaign-backfill`, so each invocation continues the pass and the
 * one that reaches the end of the register says `complete`. A later invocation starts a new pass,
 * which finds everything keyed and keys nothing.
 */
export class CampaignBackfillJob implements Job {
  readonly name = CAMPAIGN_BACKFILL_JOB;

  constructor(private readonly deps: CampaignBackfillDeps) {}

  async run(date: LocalDate): Promise<JobReport> {
    const { store, clock } = this.deps;
    const maxInstitutions = this.deps.maxInstitutions ?? 2_000;
    const pageSize = Math.min(this.deps.pageSize ?? 100, maxInstitutions);
    const budgetMs = this.deps.budgetMs ?? 200_000;
    const wall = this.deps.wall ?? Date.now;
    const startedAt = wall();

    const read = await store.progress(this.name);
    const pass = read ?? freshPass();
    const now = () => shanghaiIso(clock.now());
    let progress: BackfillProgress = { ...pass, passStartedAt: pass.passStartedAt ?? now() };
    // What the table holds now: each save is a compare-and-set against it.
    let stored = read;
    let run = { institutions: 0, results: noKeying(), applications: noKeying(), rows: noKeying() };

    const walk = store.rowsAfter(progress.after, pageSize);
    let complete = false;
    let overtaken = false;
    while (run.institutions < maxInstitutions && wall() - startedAt < budgetMs) {
      const page: WalkedRow[] = [];
      while (page.length < Math.min(pageSize, maxInstitutions - run.institutions)) {
        const next = await walk.next();
        if (next.done) break;
        page.push(next.value);
      }
      if (page.length === 0) {
        complete = true;
        break;
      }
      const done = await this.keyPage(page);
      run = {
        institutions: run.institutions + page.length,
        results: add(run.results, done.results),
        applications: add(run.applications, done.applications),
        rows: add(run.rows, done.rows),
      };
      const moved: BackfillProgress = {
        after: (page.at(-1) as WalkedRow).uscc,
        passStartedAt: progress.passStartedAt,
        institutions: progress.institutions + page.length,
        results: add(progress.results, done.results),
        applications: add(progress.applications, done.applications),
        rows: add(progress.rows, done.rows),
      };
      if (!(await store.saveProgress(this.name, stored, { ...moved, updatedAt: now() }))) {
        overtaken = true;
        break;
      }
      stored = moved;
      progress = moved;
    }
    await walk.return(undefined);
    if (complete && !overtaken) {
      // The pass is done: start the next one from the beginning, keeping this one's totals.
      const ended = await store.saveProgress(this.name, stored, {
        ...freshPass(),
        updatedAt: now(),
        lastPass: { ...progress, completedAt: now() },
      });
      if (!ended) overtaken = true;
    }
    return {
      job: this.name,
      date,
      institutions: run.institutions,
      results: run.results,
      applications: run.applications,
      rows: run.rows,
      complete: complete && !overtaken,
      after: complete ? null : progress.after || null,
      pass: {
        startedAt: progress.passStartedAt,
        institutions: progress.institutions,
        results: progress.results,
        applications: progress.applications,
        rows: progress.rows,
      },
      ...(overtaken ? { overtaken: 'another run moved the progress first; this run stopped' } : {}),
    };
  }

  private async keyPage(rows: readonly WalkedRow[]) {
    const { store, cursorSecret } = this.deps;
    const page = rows.map((r) => r.uscc);
    const filled = await store.fillRows(rows);
    const years = await store.upgradeYears(page);
    const ids = page.flatMap((uscc) => applicationIdsOf(cursorSecret, uscc, years.get(uscc) ?? []));
    const applications = ids.length > 0 ? await store.keyApplications(ids) : noKeying();
    let results = noKeying();
    const queue = [...page];
    const worker = async () => {
      for (let uscc = queue.shift(); uscc !== undefined; uscc = queue.shift()) {
        const counted = await store.keyResultsOf(uscc);
        results = add(results, counted);
      }
    };
    await Promise.all(Array.from({ length: this.deps.concurrency ?? 8 }, worker));
    return { results, applications, rows: filled };
  }
}
