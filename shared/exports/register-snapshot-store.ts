import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { RegisterRow } from '../domain/register-row.ts';
import { decodeSnapshot, encodeSnapshot, type RegisterSnapshot } from '../domain/register-snapshot.ts';
import type { BlockCodec } from '../domain/search-pack.ts';
import type { PresignedExportLinks } from './export-links.ts';

/**
 * Where the register snapshot is kept: beside the exports (the same bucket in AWS, the data directory
 * locally), under a key the CDN does not serve: the packed search index (shared/domain/search-pack.ts),
 * its row blocks deflated one by one, stored as it is (no Content-Encoding), so it is read without
 * inflating the whole.
 */
export const REGISTER_SNAPSHOT_KEY = 'internal/register-snapshot.bin';

/** Raw deflate per block of rows: a row is read by inflating its block alone. */
export const DEFLATE_BLOCKS: BlockCodec = {
  name: 'deflate-raw',
  pack: (bytes) => deflateRawSync(bytes, { level: constants.Z_BEST_COMPRESSION }),
  unpack: (bytes) => inflateRawSync(bytes),
};

export interface SnapshotReader {
  /** The stored bytes, or null when there is none. */
  read(): Promise<Uint8Array | null>;
}

export interface SnapshotWriter {
  write(bytes: Uint8Array): Promise<void>;
}

export function packSnapshot(v: number, rows: readonly RegisterRow[], at: Date): Uint8Array {
  return encodeSnapshot(v, rows, at, DEFLATE_BLOCKS);
}

/** The snapshot in `bytes` (throws when they are not a snapshot this code wrote). */
export function unpackSnapshot(bytes: Uint8Array): RegisterSnapshot {
  return decodeSnapshot(bytes, DEFLATE_BLOCKS);
}

/**
 * The public function's reader: one GET of a presigned URL, so the public bundle carries no S3 client
 * (the signer is the export links' own). 404 and 403 (S3's answer for a missing key without ListBucket)
 * mean none yet; anything else is an error the caller counts and falls back from.
 */
export class PresignedSnapshotReader implements SnapshotReader {
  constructor(
    private readonly links: Pick<PresignedExportLinks, 'presign'>,
    private readonly fetch: typeof globalThis.fetch = globalThis.fetch,
  ) {}

  async read(): Promise<Uint8Array | null> {
    const res = await this.fetch(await this.links.presign('GET', REGISTER_SNAPSHOT_KEY, 60));
    if (res.status === 404 || res.status === 403) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) throw new Error(`register snapshot GET answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
}

/** `DATA_DIR/exports/internal/…` locally: written whole to a temporary name, then renamed into place. */
export class FileSnapshotStore implements SnapshotReader, SnapshotWriter {
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, REGISTER_SNAPSHOT_KEY);
  }

  async read(): Promise<Uint8Array | null> {
    if (!existsSync(this.path)) return null;
    return new Uint8Array(await readFile(this.path));
  }

  async write(bytes: Uint8Array): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(`${this.path}.tmp`, bytes);
    await rename(`${this.path}.tmp`, this.path);
  }
}

/** A snapshot held in memory (tests and the benchmark). */
export class MemorySnapshotStore implements SnapshotReader, SnapshotWriter {
  bytes: Uint8Array | null = null;
  reads = 0;

  async read(): Promise<Uint8Array | null> {
    this.reads++;
    return this.bytes;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.bytes = bytes;
  }
}
