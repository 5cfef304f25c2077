import type { RegisterRow } from './register-row.ts';
import { packRows, SearchIndex } from './search-index.ts';
import { type BlockCodec, BytesPack, encodePack, PACK_FORMAT, SnapshotFormatError } from './search-pack.ts';

/**
 * The register as one document, for a cold instance to load with one read instead of walking every
 * row and building its search index: the register version it was taken at and the index itself, packed
 * (shared/domain/search-pack.ts), so loading it reads a header and searching decodes only what it meets.
 */

/** Bumped whenever the layout changes: a reader never trusts a snapshot in a format it does not know. */
export const SNAPSHOT_FORMAT = PACK_FORMAT;

export { SnapshotFormatError };

export interface RegisterSnapshot {
  /** The register version every row is at least as new as. */
  v: number;
  index: SearchIndex;
}

/** The snapshot of `rows` taken at version `v`, its row blocks compressed by `codec`. */
export function encodeSnapshot(
  v: number,
  rows: readonly RegisterRow[],
  at: Date,
  codec: BlockCodec,
): Uint8Array {
  return encodePack(packRows(rows), v, at, codec);
}

/** The snapshot in `bytes`, or a SnapshotFormatError when they are not one this code wrote. */
export function decodeSnapshot(bytes: Uint8Array, codec: BlockCodec): RegisterSnapshot {
  const pack = new BytesPack(bytes, codec);
  return { v: pack.v, index: new SearchIndex(pack) };
}
