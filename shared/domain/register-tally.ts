import { countsInScope } from './scope.ts';
import type { District, Grade } from './types.ts';

/** What one institution adds to the statistics: its district and its grade, or that it is closed. */
export interface TallyInput {
  district: District;
  grade: Grade | null;
  closed: boolean;
}

export type TallyBucket = Grade | 'ungraded' | 'closed';

/** The bucket one institution is counted in, as `<district>|<bucket>`: the unit the aggregate keeps. */
export function tallyKey(row: TallyInput): string {
  const bucket: TallyBucket = !countsInScope(row) ? 'closed' : (row.grade ?? 'ungraded');
  return `${row.district}|${bucket}`;
}

export function parseTallyKey(key: string): { district: District; bucket: TallyBucket } {
  const bar = key.lastIndexOf('|');
  return { district: key.slice(0, bar), bucket: key.slice(bar + 1) as TallyBucket };
}

/** Institutions per `<district>|<bucket>`; buckets that fall to 0 are dropped. */
export type Tally = Record<string, number>;

/**
 * Adds the moves of some institutions from the bucket they were counted in (`from`, null when not
 * counted yet) to the one they belong in now (`to`). Pure; the caller makes each move happen once.
 */
export function applyMoves(tally: Tally, moves: ReadonlyArray<{ from: string | null; to: string }>): Tally {
  const next: Tally = { ...tally };
  for (const { from, to } of moves) {
    // Stryker disable next-line ConditionalExpression: taking one from a bucket and adding it back leaves the same tally
    if (from === to) continue;
    if (from !== null) {
      const left = (next[from] ?? 0) - 1;
      if (left === 0) delete next[from];
      else next[from] = left;
    }
    next[to] = (next[to] ?? 0) + 1;
  }
  return next;
}

/** The tally of a whole register, counted from scratch: what the kept aggregate must always equal. */
export function tallyOf(rows: Iterable<TallyInput>): Tally {
  const tally: Tally = {};
  for (const row of rows) {
    const key = tallyKey(row);
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}
