import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import {
  applyMoves,
  parseTallyKey,
  type TallyInput,
  tallyKey,
  tallyOf,
} from '#shared/domain/register-tally.ts';
import { districtNames } from '#shared/domain/rules.ts';
import { countsInScope } from '#shared/domain/scope.ts';
import { GRADES } from '#shared/domain/types.ts';
import { statsFromTally } from '#shared/http/public/stats.ts';

const row: fc.Arbitrary<TallyInput> = fc.record({
  district: fc.constantFrom(...districtNames(), '未知区'),
  grade: fc.constantFrom(null, ...GRADES),
  closed: fc.boolean(),
});

describe('the statistics tally', () => {
  it('counts a closed institution as closed whatever its grade, and the rest by grade or as ungraded', () => {
    expect(tallyKey({ district: '西湖区', grade: 'A', closed: true })).toBe('西湖区|closed');
    expect(tallyKey({ district: '西湖区', grade: null, closed: false })).toBe('西湖区|ungraded');
    expect(tallyKey({ district: '西湖区', grade: 'C', closed: false })).toBe('西湖区|C');
    expect(parseTallyKey('西湖区|C')).toEqual({ district: '西湖区', bucket: 'C' });
    expect(countsInScope({ closed: true })).toBe(false);
  });

  it('applying each change as a move from its old bucket to its new one equals counting the end state', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), row), { maxLength: 60 }),
        (start, changes) => {
          const rows = [...start];
          let tally = applyMoves(
            {},
            rows.map((r) => ({ from: null, to: tallyKey(r) })),
          );
          for (const [at, next] of changes) {
            const i = at % rows.length;
            tally = applyMoves(tally, [{ from: tallyKey(rows[i] as TallyInput), to: tallyKey(next) }]);
            rows[i] = next;
          }
          expect(tally).toEqual(tallyOf(rows));
          expect(Object.values(tally).every((n) => n > 0)).toBe(true);
        },
      ),
    );
  });

  it('gives the stats a recount would: totals, per district, coverage over the institutions in scope', () => {
    const clock = fixedClock('2026-11-23T10:00:00+08:00');
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), (rows) => {
        const stats = statsFromTally(tallyOf(rows), clock);
        const open = rows.filter(countsInScope);
        expect(stats.total.institutions).toBe(open.length);
        expect(stats.total.closed).toBe(rows.length - open.length);
        expect(stats.total.ungraded).toBe(open.filter((r) => r.grade === null).length);
        for (const g of GRADES) expect(stats.total[g]).toBe(open.filter((r) => r.grade === g).length);
        for (const d of stats.districts) {
          const mine = open.filter((r) => r.district === d.district);
          expect(d.institutions).toBe(mine.length);
          const graded = mine.filter((r) => r.grade !== null).length;
          expect(d.coverage).toBe(mine.length === 0 ? 0 : Math.round((graded / mine.length) * 10000) / 10000);
        }
      }),
    );
  });
});
