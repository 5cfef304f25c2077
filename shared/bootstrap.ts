import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTokenVerifier } from './auth/verifier.ts';
import { type Clock, fixedClock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { parseCalendarOverrides, WorkingDayCalendar } from './domain/calendar.ts';
import { type CredentialsProvider, PresignedExportLinks } from './exports/export-links.ts';
import { PresignedSnapshotReader, type SnapshotReader } from './exports/register-snapshot-store.ts';
import type { AdminDeps, PublicDeps } from './http/deps.ts';
import { countMetric } from './metrics.ts';
import { NoticeClaimStore } from './notify/claims.ts';
import type { Notifier } from './notify/port.ts';
import type { WorkflowDeps } from './services/context.ts';
import { AuditStore } from './store/audit.ts';
import { EventStore } from './store/events.ts';
import { InstitutionReader } from './store/institution-reader.ts';
import { InstitutionWriter } from './store/institution-writer.ts';
import { ObjectionReceipts } from './store/objection-receipts.ts';
import { RegisterIndexSource } from './store/register-index.ts';
import { RegisterRows } from './store/register-rows.ts';
import { ResultStore } from './store/results.ts';
import { TallyReader } from './store/tally-reader.ts';
import { WorkflowStore } from './store/workflow.ts';

export function clockFrom(config: Pick<Config, 'NOW'>): Clock {
  return config.NOW ? fixedClock(config.NOW) : systemClock();
}

export function calendarFrom(config: Pick<Config, 'CALENDAR_OVERRIDES'>): WorkingDayCalendar {
  const overrides = config.CALENDAR_OVERRIDES?.trim();
  return new WorkingDayCalendar(overrides ? parseCalendarOverrides(overrides) : {});
}

/** The register snapshot in its bucket, read with one presigned GET; none when no bucket is configured. */
export function snapshotReaderFrom(
  config: Pick<Config, 'REGISTER_SNAPSHOT_BUCKET' | 'AWS_REGION'>,
  credentials: CredentialsProvider,
): SnapshotReader | undefined {
  if (!config.REGISTER_SNAPSHOT_BUCKET) return undefined;
  return new PresignedSnapshotReader(
    new PresignedExportLinks({
      bucket: config.REGISTER_SNAPSHOT_BUCKET,
      region: config.AWS_REGION,
      credentials,
    }),
  );
}

/** The in-memory register, loaded from the snapshot when there is one; every fallback is counted. */
export function registerSource(rows: RegisterRows, snapshot: SnapshotReader | undefined) {
  return new RegisterIndexSource(rows, {
    snapshot,
    onFallback: (reason, detail) =>
      countMetric('RegisterSnapshotFallback', { reason }, `register snapshot not used: ${detail}`),
  });
}

/** The public routes' dependencies, from parsed configuration and one shared client. */
export function buildPublicDeps(
  config: Config,
  db: DynamoDBDocumentClient,
  clock = clockFrom(config),
): PublicDeps {
  const rows = new RegisterRows(db, config.TABLE_NAME);
  return {
    clock,
    reader: new InstitutionReader(db, config.TABLE_NAME),
    register: registerSource(rows, snapshotReaderFrom(config, db.config.credentials)),
    tally: new TallyReader(db, config.TABLE_NAME),
    events: new EventStore(db, config.TABLE_NAME, () => clock.now()),
    results: new ResultStore(db, config.TABLE_NAME),
    receipts: new ObjectionReceipts(db, config.TABLE_NAME),
    publicBaseUrl: config.PUBLIC_BASE_URL,
    cursorSecret: config.CURSOR_SECRET,
    ...(config.ICP_NUMBER ? { icpNumber: config.ICP_NUMBER } : {}),
    ...(config.ORIGIN_VERIFY_SECRET ? { originVerifySecret: config.ORIGIN_VERIFY_SECRET } : {}),
    powMaxNumber: config.OBJECTION_POW_MAX_NUMBER,
    ...(config.EXPORT_BUCKET
      ? {
          exportLinks: new PresignedExportLinks({
            bucket: config.EXPORT_BUCKET,
            region: config.AWS_REGION,
            credentials: db.config.credentials,
          }),
        }
      : {}),
  };
}

/** What the workflow's writes need (the objections function), without token verification. */
export function buildWorkflowDeps(
  config: Config,
  db: DynamoDBDocumentClient,
  notifier: Notifier,
  clock = clockFrom(config),
): PublicDeps & WorkflowDeps {
  return {
    ...buildPublicDeps(config, db, clock),
    calendar: calendarFrom(config),
    writer: new InstitutionWriter(db, config.TABLE_NAME),
    audit: new AuditStore(db, config.TABLE_NAME),
    notifier,
    workflow: new WorkflowStore(db, config.TABLE_NAME),
  };
}

/** Everything, for the admin API, the jobs and the local server. */
export function buildAdminDeps(
  config: Config,
  db: DynamoDBDocumentClient,
  notifier: Notifier,
  clock = clockFrom(config),
): AdminDeps {
  return {
    ...buildWorkflowDeps(config, db, notifier, clock),
    verifier: createTokenVerifier({
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      jwksUrl: config.JWT_JWKS_URL,
      secret: config.JWT_SECRET,
      groupsClaim: config.JWT_GROUPS_CLAIM,
    }),
    notices: new NoticeClaimStore(db, config.TABLE_NAME),
  };
}
