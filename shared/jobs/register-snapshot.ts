import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.ts';
import { SNAPSHOT_FORMAT } from '../domain/register-snapshot.ts';
import type { LocalDate } from '../domain/types.ts';
import {
  packSnapshot,
  REGISTER_SNAPSHOT_KEY,
  type SnapshotWriter,
} from '../exports/register-snapshot-store.ts';
import { keys } from '../store/keys.ts';
import type { RegisterRows } from '../store/register-rows.ts';
import type { Job, JobReport } from './job.ts';

export const REGISTER_SNAPSHOT_JOB = 'register-snapshot';

export interface RegisterSnapshotDeps {
  rows: Pick<RegisterRows, 'version' | 'all'>;
  db: DynamoDBDocumentClient;
  table: string;
  store: SnapshotWriter;
  clock: Clock;
}

/** The snapshot in the export bucket (the jobs function's S3 client; private, the CDN never serves it). */
export class S3SnapshotWriter implements SnapshotWriter {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async write(bytes: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: REGISTER_SNAPSHOT_KEY,
        Body: bytes,
        // No Content-Encoding: the reader takes the bytes as stored and inflates only the blocks it reads.
        ContentType: 'application/octet-stream',
        CacheControl: 'no-store',
      }),
    );
  }
}

/**
 * Writes the register snapshot a cold public instance loads with one GET (docs/performance.md
 * "Register snapshot") when the register version moved since the last one written; otherwise it
 * reads the version item and its own state and stops. The version is read consistently before the
 * rows, and the rows consistently too, so every row is at least as new as the version the snapshot
 * carries: a reader catches up from that version and never misses a change.
 */
export class RegisterSnapshotJob implements Job {
  readonly name = REGISTER_SNAPSHOT_JOB;

  constructor(private readonly deps: RegisterSnapshotDeps) {}

  async run(date: LocalDate): Promise<JobReport> {
    const { db, table } = this.deps;
    const version = (await this.deps.rows.version(true))?.v ?? 0;
    const done = await db.send(
      new GetCommand({ TableName: table, Key: keys.job(this.name), ConsistentRead: true }),
    );
    if (done.Item && done.Item.version === version && done.Item.format === SNAPSHOT_FORMAT) {
      return { job: this.name, date, skipped: `version ${version} already written` };
    }
    const rows = await this.deps.rows.all(true);
    const bytes = packSnapshot(version, rows, this.deps.clock.now());
    await this.deps.store.write(bytes);
    // Unconditional, as the grades export's: a concurrent run wrote a snapshot at least as new.
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.job(this.name),
          version,
          format: SNAPSHOT_FORMAT,
          at: this.deps.clock.now().toISOString(),
        },
      }),
    );
    return { job: this.name, date, version, institutions: rows.length, bytes: bytes.byteLength };
  }
}
