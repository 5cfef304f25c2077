import type { RegisterRow } from '#shared/domain/register-row.ts';
import { makeUscc, USCC_CHARSET } from '#shared/domain/uscc.ts';

/** `count` rows for the in-memory search alone: the demo's, repeated with a numbered branch. */
export function syntheticRows(count: number, base: RegisterRow[]): RegisterRow[] {
  const out: RegisterRow[] = [];
  for (let copy = 0; out.length < count; copy++) {
    for (const row of base) {
      if (out.length >= count) break;
      if (copy === 0) {
        out.push(row);
        continue;
      }
      let org = '';
      for (let n = out.length, k = 0; k < 9; k++, n = Math.floor(n / USCC_CHARSET.length)) {
        org += USCC_CHARSET[n % USCC_CHARSET.length];
      }
      const branch = `${copy}`;
      out.push({
        ...row,
        uscc: makeUscc(`91330106${org}`),
        name: `${row.name}${branch}`,
        texts: [`${row.texts[0]}${branch}`, ...row.texts.slice(1)],
        pinyin: [`${row.pinyin[0]} ${Array.from(branch).join(' ')}`, ...row.pinyin.slice(1)],
      });
    }
  }
  return out;
}
