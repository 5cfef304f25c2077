import type { RegisterRow } from './register-row.ts';

/**
 * The register as one document, for a cold instance to load with one read instead of walking every
 * row: the register version it was taken at and every compact row. Columnar (the field names once,
 * then one array of values per row), so the names are not repeated a hundred thousand times.
 */

/** Bumped whenever the layout changes: a reader never trusts a snapshot in a format it does not know. */
export const SNAPSHOT_FORMAT = 1;

export interface RegisterSnapshot {
  /** The register version every row is at least as new as. */
  v: number;
  rows: RegisterRow[];
}

interface Encoded {
  format: number;
  v: number;
  /** When it was taken (ISO), for operators reading it by hand. */
  at: string;
  fields: string[];
  rows: unknown[][];
}

/** The snapshot document (JSON text) of `rows` taken at version `v`. */
export function encodeSnapshot(v: number, rows: readonly RegisterRow[], at: Date): string {
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  const doc: Encoded = {
    format: SNAPSHOT_FORMAT,
    v,
    at: at.toISOString(),
    fields,
    rows: rows.map((r) => fields.map((f) => (r as unknown as Record<string, unknown>)[f] ?? null)),
  };
  return JSON.stringify(doc);
}

/** Why a snapshot text was not used. */
export class SnapshotFormatError extends Error {}

/** The snapshot in `text`, or a SnapshotFormatError when it is not one this code wrote. */
export function decodeSnapshot(text: string): RegisterSnapshot {
  let doc: Partial<Encoded>;
  try {
    doc = JSON.parse(text) as Partial<Encoded>;
  } catch {
    throw new SnapshotFormatError('not JSON');
  }
  if (doc?.format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError(`format ${String(doc?.format)}`);
  const { v, fields, rows } = doc;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new SnapshotFormatError('no version');
  if (!Array.isArray(fields) || !Array.isArray(rows)) throw new SnapshotFormatError('no rows');
  for (const required of ['uscc', 'name', 'texts', 'pinyin', 'v']) {
    if (!fields.includes(required)) throw new SnapshotFormatError(`no ${required}`);
  }
  const width = fields.length;
  return {
    v,
    rows: rows.map((values) => {
      if (!Array.isArray(values) || values.length !== width) throw new SnapshotFormatError('ragged row');
      const row: Record<string, unknown> = {};
      for (let i = 0; i < width; i++) row[fields[i] as string] = values[i];
      return row as unknown as RegisterRow;
    }),
  };
}
