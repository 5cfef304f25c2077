import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NameKey, pageInNameOrder } from '#shared/domain/register-list.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';

/** A row as the name order sees it: its full pinyin and its uscc (the rest does not take part). */
const row = (sortName: string, uscc: string) => ({ sortName, uscc }) as RegisterRow;
const keyOf = (r: RegisterRow) => `${r.sortName}|${r.uscc}`;
const all = () => true;

/** Every page of the list, following the cursor from the start. */
function walk(rows: RegisterRow[], keep: (r: RegisterRow) => boolean, limit: number) {
  const pages: Array<ReturnType<typeof pageInNameOrder>> = [];
  let after: NameKey | null = null;
  do {
    const page = pageInNameOrder(rows, keep, after, limit);
    pages.push(page);
    after = page.next;
  } while (after && pages.length <= rows.length);
  return pages;
}

/** The name order: full pinyin, then uscc, compared as strings. */
const inNameOrder = (rows: RegisterRow[]) =>
  [...rows].sort((a, b) =>
    a.sortName !== b.sortName ? (a.sortName < b.sortName ? -1 : 1) : a.uscc < b.uscc ? -1 : 1,
  );

describe('a list in name order', () => {
  const rows = [
    row('zhang', 'U5'),
    row('an', 'U9'),
    row('li', 'U2'),
    row('an', 'U1'),
    row('wang', 'U3'),
    row('li', 'U1'),
    row('bai', 'U7'),
  ];

  it('orders by full pinyin, then by uscc, and pages with the last row shown as the cursor', () => {
    const first = pageInNameOrder(rows, all, null, 3);
    expect(first.rows.map(keyOf)).toEqual(['an|U1', 'an|U9', 'bai|U7']);
    expect(first.next).toEqual(['bai', 'U7']);
    expect(first.examined).toBe(7);
    const second = pageInNameOrder(rows, all, first.next, 3);
    expect(second.rows.map(keyOf)).toEqual(['li|U1', 'li|U2', 'wang|U3']);
    expect(second.next).toEqual(['wang', 'U3']);
    const last = pageInNameOrder(rows, all, second.next, 3);
    expect(last.rows.map(keyOf)).toEqual(['zhang|U5']);
    expect(last.next).toBeNull();
    expect(last.examined).toBe(7);
  });

  it('resumes after a cursor between two rows of the same name, by uscc', () => {
    expect(pageInNameOrder(rows, all, ['li', 'U1'], 2).rows.map(keyOf)).toEqual(['li|U2', 'wang|U3']);
    expect(pageInNameOrder(rows, all, ['an', 'U5'], 1).rows.map(keyOf)).toEqual(['an|U9']);
    expect(pageInNameOrder(rows, all, ['zhang', 'U5'], 5)).toEqual({ rows: [], next: null, examined: 7 });
  });

  it('has no next page when the rows left fill the page exactly', () => {
    const page = pageInNameOrder(rows, all, ['bai', 'U7'], 4);
    expect(page.rows.map(keyOf)).toEqual(['li|U1', 'li|U2', 'wang|U3', 'zhang|U5']);
    expect(page.next).toBeNull();
  });

  it('keeps only the rows the filter accepts, and counts every row it looked at', () => {
    const page = pageInNameOrder(rows, (r) => r.uscc !== 'U1' && r.sortName !== 'bai', null, 2);
    expect(page.rows.map(keyOf)).toEqual(['an|U9', 'li|U2']);
    expect(page.next).toEqual(['li', 'U2']);
    expect(page.examined).toBe(7);
  });

  it('shows every accepted row once, in name order, whatever order the register holds them in', () => {
    const names = fc.constantFrom('an', 'bai', 'li', 'liu', 'wang');
    const register = fc.uniqueArray(fc.tuple(names, fc.constantFrom('U1', 'U2', 'U3', 'U4')), {
      selector: ([n, u]) => `${n}|${u}`,
      maxLength: 20,
    });
    fc.assert(
      fc.property(register, fc.integer({ min: 1, max: 6 }), fc.boolean(), (pairs, limit, filtered) => {
        const rs = pairs.map(([n, u]) => row(n, u));
        const keep = filtered ? (r: RegisterRow) => r.uscc !== 'U2' : all;
        const pages = walk(rs, keep, limit);
        expect(pages.flatMap((p) => p.rows).map(keyOf)).toEqual(inNameOrder(rs.filter(keep)).map(keyOf));
        for (const p of pages.slice(0, -1)) expect(p.rows).toHaveLength(limit);
        expect(pages.at(-1)?.next).toBeNull();
      }),
    );
  });
});
