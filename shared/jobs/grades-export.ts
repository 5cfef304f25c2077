import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.ts';
import type { RegisterRow } from '../domain/register-row.ts';
import { countsInScope } from '../domain/scope.ts';
import { KINDS, type LocalDate } from '../domain/types.ts';
import { GRADES_CSV } from '../exports/export-names.ts';
import type { ExportStore } from '../exports/export-store.ts';
import { csvRow, UTF8_BOM } from '../http/csv.ts';
import { GRADE_CSV_COLUMNS, GRADES_CSV_FORMAT, gradeRow } from '../http/public/export.ts';
import { keys } from '../store/keys.ts';
import type { RegisterRows } from '../store/register-rows.ts';
import type { RegisterTallyStore } from '../store/register-tally.ts';
import type { Job, JobReport } from './job.ts';

export const GRADES_EXPORT_JOB = 'grades-export';
export { GRADES_CSV };

export interface GradesExportDeps {
  rows: RegisterRows;
  db: DynamoDBDocumentClient;
  table: string;
  store: ExportStore;
  clock: Clock;
  /** The statistics' tally, brought up to the register version first (changes the write path left). */
  tally: Pick<RegisterTallyStore, 'catchUp'>;
}

/**
 * The register's institutions in scope as the grades CSV (the same set `/v1/stats` counts): kinds in
 * order, names in pinyin order within a kind.
 */
export function gradesCsv(rows: readonly RegisterRow[], today: LocalDate): string {
  const sorted = rows
    .filter(countsInScope)
    .sort(
      (a, b) =>
        KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
        (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0) ||
        (a.uscc < b.uscc ? -1 : 1),
    );
  return UTF8_BOM + csvRow(GRADE_CSV_COLUMNS) + sorted.map((r) => gradeRow(r, today)).join('');
}

/**
 * Settles the statistics' tally up to the register version (what the write path could not), then
 * regenerates `grades.csv` off the request path when the register changed (its version moved) or the
 * day did (overdue reviews follow the date); otherwise it reads one item and stops. It reads the
 * compact register rows, never the profiles, and puts the file where the CDN serves it from.
 */
export class GradesExportJob implements Job {
  readonly name = GRADES_EXPORT_JOB;

  constructor(private readonly deps: GradesExportDeps) {}

  async run(date: LocalDate): Promise<JobReport> {
    const counted = await this.deps.tally.catchUp();
    const head = await this.deps.rows.version(true);
    const version = head?.v ?? 0;
    const done = await this.deps.db.send(
      new GetCommand({ TableName: this.deps.table, Key: keys.job(this.name), ConsistentRead: true }),
    );
    if (
      done.Item &&
      done.Item.version === version &&
      done.Item.day === date &&
      done.Item.format === GRADES_CSV_FORMAT
    ) {
      return {
        job: this.name,
        date,
        skipped: `version ${version} already exported today`,
        tallyMoved: counted.moved,
      };
    }
    const rows = await this.deps.rows.all();
    const csv = gradesCsv(rows, date);
    await this.deps.store.put(GRADES_CSV, csv, 'text/csv; charset=utf-8; header=present');
    // Unconditional: a concurrent run wrote the same file for the same version, or a newer one that
    // the next run will see again as changed (one more regeneration, never a stale file kept).
    await this.deps.db.send(
      new PutCommand({
        TableName: this.deps.table,
        Item: {
          ...keys.job(this.name),
          version,
          day: date,
          format: GRADES_CSV_FORMAT,
          at: this.deps.clock.now().toISOString(),
        },
      }),
    );
    return {
      job: this.name,
      date,
      version,
      institutions: rows.filter(countsInScope).length,
      bytes: Buffer.byteLength(csv),
      tallyMoved: counted.moved,
    };
  }
}
