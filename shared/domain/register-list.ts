import type { RegisterRow } from './register-row.ts';

/** Position in the name order of lists without `q`: full pinyin, then uscc. */
export type NameKey = [sortName: string, uscc: string];

function compareName(row: RegisterRow, key: NameKey): number {
  if (row.sortName !== key[0]) return row.sortName < key[0] ? -1 : 1;
  return row.uscc < key[1] ? -1 : row.uscc > key[1] ? 1 : 0;
}

/**
 * One page, in name order, of the in-memory rows `keep` accepts, after `after`: one pass over the
 * register keeping only the best `limit + 1` (for filters the table's indexes do not know, such as a
 * procedure's subject and level).
 */
export function pageInNameOrder(
  rows: Iterable<RegisterRow>,
  keep: (row: RegisterRow) => boolean,
  after: NameKey | null,
  limit: number,
): { rows: RegisterRow[]; next: NameKey | null; examined: number } {
  const best: RegisterRow[] = [];
  let examined = 0;
  for (const row of rows) {
    examined++;
    if (!keep(row) || (after && compareName(row, after) <= 0)) continue;
    const worst = best[limit];
    if (worst && compareName(row, [worst.sortName, worst.uscc]) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const b = best[mid] as RegisterRow;
      if (compareName(b, [row.sortName, row.uscc]) < 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, row);
    if (best.length > limit + 1) best.pop();
  }
  const page = best.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: best.length > limit && last ? [last.sortName, last.uscc] : null, examined };
}
