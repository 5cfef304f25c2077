import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.ts';
import { yearOf } from '../domain/dates.ts';
import type { Contacts } from '../domain/model.ts';
import type { LocalDate } from '../domain/types.ts';
import { UPGRADE_ELIGIBLE_GRADES } from '../domain/upgrade.ts';
import type { NoticeIntent, Notifier } from '../notify/port.ts';
import type { InstitutionReader } from '../store/institution-reader.ts';
import type { JobStateStore } from '../store/job-state.ts';
import { batchGetPrivate } from '../store/private-batch.ts';
import type { Job, JobReport } from './job.ts';

function contactsOf(raw: unknown): Contacts {
  const c = (raw ?? {}) as Partial<Contacts>;
  return { phones: c.phones ?? [], wechatOpenIds: c.wechatOpenIds ?? [] };
}

export const UPGRADE_WINDOW_JOB = 'upgrade-window';
const PAGE_SIZE = 100;

export interface UpgradeWindowJobDeps {
  reader: InstitutionReader;
  db: DynamoDBDocumentClient;
  table: string;
  state: JobStateStore;
  notifier: Notifier;
  clock: Clock;
}

/**
 * On 1 January, every B and C institution that is not banned from applying is told it may apply for
 * an upgrade this year (DOMAIN.md "Upgrade"). It lists B and C through the by-grade index, never a
 * Scan. Scheduled daily like the others, it acts in January only, once per year (a missed 1 January
 * is caught up on the next run that month); the year is the notice's cycle, so a repeat is dropped.
 */
export class UpgradeWindowJob implements Job {
  readonly name = UPGRADE_WINDOW_JOB;

  constructor(private readonly deps: UpgradeWindowJobDeps) {}

  async run(date: LocalDate): Promise<JobReport> {
    const year = yearOf(date);
    if (date.slice(5, 7) !== '01') return { job: this.name, date, skipped: 'runs in January only' };
    const state = await this.deps.state.get(this.name);
    if (state && yearOf(state.lastDay) === year && state.lastDay < date) {
      return { job: this.name, date, skipped: `${year} already done on ${state.lastDay}` };
    }
    let notified = 0;
    let banned = 0;
    let closed = 0;
    for (const grade of UPGRADE_ELIGIBLE_GRADES) {
      let startKey: Record<string, unknown> | null = null;
      do {
        const page = await this.deps.reader.list({ filter: { grade }, startKey, limit: PAGE_SIZE });
        const open = page.items.filter((i) => !i.closed);
        closed += page.items.length - open.length;
        const privates = await batchGetPrivate(
          this.deps.db,
          this.deps.table,
          open.map((i) => i.uscc),
          ['upgradeBanUntil', 'contacts'],
        );
        const intents: NoticeIntent[] = [];
        for (const inst of open) {
          const priv = privates.get(inst.uscc);
          const banUntil = priv?.upgradeBanUntil;
          if (typeof banUntil === 'string' && date < banUntil) {
            banned++;
            continue;
          }
          intents.push({
            uscc: inst.uscc,
            kind: 'upgrade_window',
            cycle: String(year),
            params: { year, name: inst.name, grade: inst.grade },
            on: date,
            // Read with the ban above: the notifier need not read the private item again.
            contacts: contactsOf(priv?.contacts),
          });
        }
        await this.deps.notifier.notify(intents);
        notified += intents.length;
        startKey = page.lastKey;
      } while (startKey);
    }
    await this.deps.state.advance(this.name, date, this.deps.clock.now());
    return { job: this.name, date, year, notified, banned, closed };
  }
}
