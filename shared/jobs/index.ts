import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import { type ExportStore, FileExportStore, S3ExportStore } from '../exports/export-store.ts';
import { FileSnapshotStore, type SnapshotWriter } from '../exports/register-snapshot-store.ts';
import { deadLettersJob } from '../notify/dead-letters.ts';
import { NoticeOutbox, noticeOutboxJob } from '../notify/outbox.ts';
import type { Notifier } from '../notify/port.ts';
import { AuditStore } from '../store/audit.ts';
import { CampaignKeyBackfill } from '../store/campaign-key-backfill.ts';
import { EventStore } from '../store/events.ts';
import { InstitutionReader } from '../store/institution-reader.ts';
import { JobStateStore } from '../store/job-state.ts';
import { RegisterRows } from '../store/register-rows.ts';
import { RegisterTallyStore } from '../store/register-tally.ts';
import { ReminderIndex } from '../store/reminder-index.ts';
import { ResultStore } from '../store/results.ts';
import { CalendarCoverageJob } from './calendar-coverage.ts';
import { CampaignBackfillJob } from './campaign-backfill.ts';
import { buildFeedRelayJob } from './feed-relay.ts';
import { GradesExportJob } from './grades-export.ts';
import type { Job } from './job.ts';
import { PublicityJob } from './publicity.ts';
import { RegisterSnapshotJob, S3SnapshotWriter } from './register-snapshot.ts';
import { RemindersJob } from './reminders.ts';
import { UpgradeWindowJob } from './upgrade-window.ts';

export interface JobDeps {
  config: Config;
  db: DynamoDBDocumentClient;
  clock: Clock;
  calendar: WorkingDayCalendar;
  /** Where the jobs' notices go (SNS in AWS, the local sink locally). */
  notifier: Notifier;
  /** Local only: where the notice sink writes. */
  dataDir?: string;
}

/** Every scheduled job, by name. */
export function buildJobs(deps: JobDeps): Job[] {
  const table = deps.config.TABLE_NAME;
  const reader = new InstitutionReader(deps.db, table);
  const state = new JobStateStore(deps.db, table);
  const { notifier, clock } = deps;
  const exports = exportStoreOf(deps);
  const rows = new RegisterRows(deps.db, table);
  const snapshots = snapshotWriterOf(deps);
  return [
    new RemindersJob({ index: new ReminderIndex(deps.db, table), reader, state, notifier, clock }),
    new PublicityJob({
      results: new ResultStore(deps.db, table),
      reader,
      audit: new AuditStore(deps.db, table),
      state,
      notifier,
      clock,
      events: new EventStore(deps.db, table, () => clock.now()),
    }),
    new UpgradeWindowJob({ reader, db: deps.db, table, state, notifier, clock }),
    new CalendarCoverageJob(deps.calendar),
    buildFeedRelayJob(deps),
    noticeOutboxJob(new NoticeOutbox(deps.db, table), notifier),
    ...(exports
      ? [
          new GradesExportJob({
            rows,
            tally: new RegisterTallyStore(deps.db, table, rows),
            db: deps.db,
            table,
            store: exports,
            clock,
          }),
        ]
      : []),
    ...(snapshots ? [new RegisterSnapshotJob({ rows, db: deps.db, table, store: snapshots, clock })] : []),
  ];
}

/**
 * The jobs run only when invoked by name (`npm run job -- NAME`, or the jobs function with
 * `{"job": NAME}`), never on a schedule nor by the local timer: one-off, idempotent and resumable.
 */
export function buildOnDemandJobs(
  deps: Pick<JobDeps, 'config' | 'db' | 'clock'> & {
    /** The notice queues' client (`dead-letters`); tests pass their own. */
    sqs?: SQSClient;
    /** Where `dead-letters` finds the queues (the process environment by default). */
    env?: Record<string, string | undefined>;
  },
): Job[] {
  return [
    new CampaignBackfillJob({
      store: new CampaignKeyBackfill(
        deps.db,
        deps.config.TABLE_NAME,
        new RegisterRows(deps.db, deps.config.TABLE_NAME),
      ),
      clock: deps.clock,
      cursorSecret: deps.config.CURSOR_SECRET,
    }),
    deadLettersJob(deps.sqs ?? new SQSClient({ region: deps.config.AWS_REGION }), deps.env ?? process.env),
  ];
}

/** Where exports go: the bucket in AWS, the data directory locally, nowhere in a bare test setup. */
export function exportStoreOf(deps: Pick<JobDeps, 'config' | 'dataDir'>): ExportStore | null {
  if (deps.config.EXPORT_BUCKET) {
    return new S3ExportStore(new S3Client({ region: deps.config.AWS_REGION }), deps.config.EXPORT_BUCKET);
  }
  return deps.dataDir ? new FileExportStore(join(deps.dataDir, 'exports')) : null;
}

/** Where the register snapshot goes: its bucket in AWS, the data directory locally. */
export function snapshotWriterOf(deps: Pick<JobDeps, 'config' | 'dataDir'>): SnapshotWriter | null {
  if (deps.config.REGISTER_SNAPSHOT_BUCKET) {
    return new S3SnapshotWriter(
      new S3Client({ region: deps.config.AWS_REGION }),
      deps.config.REGISTER_SNAPSHOT_BUCKET,
    );
  }
  return deps.dataDir ? new FileSnapshotStore(join(deps.dataDir, 'exports')) : null;
}
