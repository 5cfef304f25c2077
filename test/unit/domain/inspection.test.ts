import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultInspectionRates, inspectionRateBounds } from '#shared/domain/inspection.ts';
import { RuleViolationError, ValidationError } from '../../../shared/domain/errors.ts';
import { drawInspectionPlan, drawSample, sampleSize } from '../../../shared/domain/inspection.ts';
import { GRADES, type Grade } from '../../../shared/domain/types.ts';

/** A past draw (SHA-256 counter-mode shuffle); changing the algorithm would break re-running old plans. */
const PINNED = ['U0008', 'U0005', 'U0002'];

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ uscc: `U${String(i).padStart(4, '0')}` }));

/** A population of distinct usccs, given in arbitrary order. */
const population = fc
  .uniqueArray(fc.integer({ min: 0, max: 9999 }), { maxLength: 60 })
  .map((ns) => ns.map((n) => ({ uscc: `U${String(n).padStart(4, '0')}` })));

describe('sampleSize', () => {
  it('has the DOMAIN.md bounds and defaults at the bounds', () => {
    expect(Object.fromEntries(GRADES.map((g) => [g, inspectionRateBounds(g)]))).toEqual({
      A: { max: 0.15 },
      B: { max: 0.25 },
      C: { max: 0.35 },
      D: { min: 0.5 },
    });
    expect(defaultInspectionRates()).toEqual({ A: 0.15, B: 0.25, C: 0.35, D: 0.5 });
  });

  it('rounds D up and A/B/C down', () => {
    expect(sampleSize('D', 7)).toBe(4);
    expect(sampleSize('C', 10)).toBe(3);
    expect(sampleSize('B', 10)).toBe(2);
    expect(sampleSize('A', 10)).toBe(1);
    expect(sampleSize('A', 6)).toBe(0);
    expect(sampleSize('D', 1)).toBe(1);
    expect(sampleSize('D', 0)).toBe(0);
  });

  it('is not fooled by floating-point noise in the rate', () => {
    expect(0.56 * 25).not.toBe(14);
    expect(sampleSize('D', 25, 0.56)).toBe(14);
    expect(0.29 * 100).not.toBe(29);
    expect(sampleSize('C', 100, 0.29)).toBe(29);
  });

  it('accepts rates on the bounds and refuses rates beyond them', () => {
    expect(sampleSize('D', 10, 0.5)).toBe(5);
    expect(sampleSize('D', 10, 1)).toBe(10);
    expect(sampleSize('A', 100, 0.15)).toBe(15);
    expect(sampleSize('A', 100, 0)).toBe(0);
    for (const [grade, rate] of [
      ['D', 0.49],
      ['D', 1.01],
      ['C', 0.36],
      ['B', 0.26],
      ['A', 0.16],
      ['A', -0.01],
      ['B', Number.NaN],
    ] as const) {
      expect(() => sampleSize(grade, 100, rate)).toThrow(RuleViolationError);
    }
    try {
      sampleSize('A', 100, 0.2);
    } catch (err) {
      expect((err as RuleViolationError).rule).toBe('inspection_rate_out_of_bounds');
      expect((err as Error).message).toContain('15%');
    }
  });

  it('refuses a population that is not a whole number ≥ 0', () => {
    expect(() => sampleSize('A', -1)).toThrow(ValidationError);
    expect(() => sampleSize('A', 2.5)).toThrow(ValidationError);
  });

  it('property: the size keeps every grade within its bound', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GRADES),
        fc.nat(2000),
        fc.integer({ min: 0, max: 100 }),
        (grade, n, pct) => {
          const { min, max } = inspectionRateBounds(grade);
          fc.pre((min === undefined || pct >= min * 100) && (max === undefined || pct <= max * 100));
          const size = sampleSize(grade, n, pct / 100);
          expect(size).toBeGreaterThanOrEqual(0);
          expect(size).toBeLessThanOrEqual(n);
          if (grade === 'D') {
            // Smallest size with size ≥ n·rate, compared in integers.
            expect(size * 100).toBeGreaterThanOrEqual(n * pct);
            expect((size - 1) * 100).toBeLessThan(n * pct);
          } else {
            // Largest size with size ≤ n·rate.
            expect(size * 100).toBeLessThanOrEqual(n * pct);
            expect((size + 1) * 100).toBeGreaterThan(n * pct);
          }
        },
      ),
    );
  });
});

/**
 * The draw as a plan publishes it, written out again: SHA-256 of `seed NUL counter` gives 32-bit
 * big-endian words, 8 per block; a word at or above the largest multiple of n is rejected; Fisher–Yates
 * over the usccs sorted, first `size` in draw order.
 */
function referenceDraw(n: number, size: number, seed: string): string[] {
  const words: number[] = [];
  let counter = 0;
  const word = () => {
    if (words.length === 0) {
      const block = createHash('sha256').update(`${seed}\u0000${counter++}`).digest();
      for (let o = 0; o < 32; o += 4) words.push(block.readUInt32BE(o));
    }
    return words.shift() as number;
  };
  const pool = items(n).map((i) => i.uscc);
  for (let i = 0; i < size; i++) {
    const range = n - i;
    const limit = Math.floor(2 ** 32 / range) * range;
    let x = word();
    while (x >= limit) x = word();
    const j = i + (x % range);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return pool.slice(0, size);
}

describe('drawSample', () => {
  it('gives a pinned result for a pinned seed, so past draws can be re-run', () => {
    expect(drawSample(items(10), 3, 'hangzhou-2026').map((i) => i.uscc)).toEqual(PINNED);
  });

  it('pins draws that need more than the first hash block (8 picks per SHA-256 block)', () => {
    expect(drawSample(items(20), 12, 'hangzhou-2026').map((i) => i.uscc)).toEqual([
      'U0018',
      'U0004',
      'U0016',
      'U0002',
      'U0009',
      'U0006',
      'U0012',
      'U0000',
      'U0008',
      'U0011',
      'U0007',
      'U0013',
    ]);
    expect(drawSample(items(300), 20, 'hangzhou-2027').map((i) => i.uscc)).toEqual([
      'U0267',
      'U0166',
      'U0117',
      'U0100',
      'U0004',
      'U0177',
      'U0085',
      'U0261',
      'U0275',
      'U0143',
      'U0189',
      'U0041',
      'U0053',
      'U0203',
      'U0241',
      'U0080',
      'U0219',
      'U0283',
      'U0030',
      'U0172',
    ]);
  });

  it('property: the draw is the published method, re-run independently from the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.string({ maxLength: 12 }), fc.nat(), (n, seed, k) => {
        const size = n === 0 ? 0 : k % (n + 1);
        expect(drawSample(items(n), size, seed).map((i) => i.uscc)).toEqual(referenceDraw(n, size, seed));
      }),
      { numRuns: 60 },
    );
  });

  it('draws different samples for different seeds', () => {
    const a = drawSample(items(100), 10, 'seed-a').map((i) => i.uscc);
    const b = drawSample(items(100), 10, 'seed-b').map((i) => i.uscc);
    expect(a).not.toEqual(b);
  });

  it('draws each item about equally often across seeds', () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 3000; s++) {
      const [picked] = drawSample(items(3), 1, `seed-${s}`);
      counts.set(picked?.uscc ?? '', (counts.get(picked?.uscc ?? '') ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['U0000', 'U0001', 'U0002']);
    for (const c of counts.values()) expect(c).toBeGreaterThan(850);
  });

  it('handles the edges: nothing, everything, and an empty population', () => {
    expect(drawSample(items(5), 0, 's')).toEqual([]);
    expect(
      drawSample(items(5), 5, 's')
        .map((i) => i.uscc)
        .sort(),
    ).toEqual(items(5).map((i) => i.uscc));
    expect(drawSample([], 0, 's')).toEqual([]);
  });

  it('refuses a bad size and duplicate usccs', () => {
    expect(() => drawSample(items(5), 6, 's')).toThrow(ValidationError);
    expect(() => drawSample(items(5), -1, 's')).toThrow(ValidationError);
    expect(() => drawSample([{ uscc: 'X' }, { uscc: 'X' }], 1, 's')).toThrow(/duplicate/);
  });

  it('property: reproducible, independent of input order, distinct members of the population', () => {
    fc.assert(
      fc.property(
        population.chain((pop) =>
          fc.tuple(
            fc.constant(pop),
            fc.shuffledSubarray(pop, { minLength: pop.length, maxLength: pop.length }),
            fc.nat(pop.length),
          ),
        ),
        fc.string(),
        ([pop, shuffled, size], seed) => {
          const drawn = drawSample(pop, size, seed);
          expect(drawn).toHaveLength(size);
          expect(drawSample(shuffled, size, seed)).toEqual(drawn);
          expect(new Set(drawn.map((i) => i.uscc)).size).toBe(size);
          for (const item of drawn) expect(pop).toContain(item);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('drawInspectionPlan', () => {
  const institutions = [
    ...items(20).map((i) => ({ ...i, grade: 'A' as Grade })),
    ...Array.from({ length: 7 }, (_, n) => ({ uscc: `D${n}`, grade: 'D' as Grade })),
    { uscc: 'N1', grade: null },
  ];

  it('draws per grade at the default rates, leaving ungraded institutions out', () => {
    const plan = drawInspectionPlan({ year: 2026, seed: 's', institutions });
    expect(plan.map((e) => [e.grade, e.population, e.size, e.drawn.length])).toEqual([
      ['A', 20, 3, 3],
      ['B', 0, 0, 0],
      ['C', 0, 0, 0],
      ['D', 7, 4, 4],
    ]);
    expect(plan.flatMap((e) => e.drawn)).not.toContain('N1');
  });

  it('honours exclusions and requested rates, and refuses rates out of bounds', () => {
    const plan = drawInspectionPlan({
      year: 2026,
      seed: 's',
      institutions,
      exclude: ['D0', 'D1', 'D2'],
      rates: { D: 1, A: 0.1 },
    });
    expect(plan[3]).toMatchObject({ grade: 'D', population: 4, size: 4, drawn: ['D3', 'D4', 'D5', 'D6'] });
    expect(plan[0]).toMatchObject({ grade: 'A', rate: 0.1, size: 2 });
    expect(() => drawInspectionPlan({ year: 2026, seed: 's', institutions, rates: { A: 0.5 } })).toThrow(
      RuleViolationError,
    );
  });

  it('refuses an institution listed twice and a bad year', () => {
    expect(() =>
      drawInspectionPlan({
        year: 2026,
        seed: 's',
        institutions: [...institutions, { uscc: 'D0', grade: 'C' }],
      }),
    ).toThrow(ValidationError);
    expect(() => drawInspectionPlan({ year: 2026.5, seed: 's', institutions })).toThrow(ValidationError);
  });

  it('draws a different sample in a different year with the same seed', () => {
    const big = items(200).map((i) => ({ ...i, grade: 'B' as Grade }));
    const y1 = drawInspectionPlan({ year: 2026, seed: 's', institutions: big });
    const y2 = drawInspectionPlan({ year: 2027, seed: 's', institutions: big });
    expect(y1[1]?.drawn).not.toEqual(y2[1]?.drawn);
  });

  it('property: sizes within bounds, drawn ⊆ population − excluded, reproducible in any order', () => {
    const institution = fc.record({
      uscc: fc.integer({ min: 0, max: 500 }).map((n) => `U${n}`),
      grade: fc.constantFrom<Grade | null>(...GRADES, null),
    });
    fc.assert(
      fc.property(
        fc
          .uniqueArray(institution, { selector: (i) => i.uscc, maxLength: 80 })
          .chain((list) =>
            fc.tuple(
              fc.constant(list),
              fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
              fc.subarray(list.map((i) => i.uscc)),
            ),
          ),
        fc.string(),
        ([list, shuffled, exclude], seed) => {
          const plan = drawInspectionPlan({ year: 2026, seed, institutions: list, exclude });
          expect(drawInspectionPlan({ year: 2026, seed, institutions: shuffled, exclude })).toEqual(plan);
          for (const entry of plan) {
            const eligible = list
              .filter((i) => i.grade === entry.grade && !exclude.includes(i.uscc))
              .map((i) => i.uscc);
            expect(entry.population).toBe(eligible.length);
            expect(entry.drawn).toHaveLength(entry.size);
            expect(entry.size).toBe(sampleSize(entry.grade, eligible.length));
            for (const u of entry.drawn) expect(eligible).toContain(u);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** The field a refused input names and what it says, for the 4xx body. */
function problemOf(f: () => unknown): { message: string; errors: unknown } {
  try {
    f();
  } catch (err) {
    if (err instanceof ValidationError) return { message: err.message, errors: err.errors };
    throw err;
  }
  throw new Error('not refused');
}

describe('refusals name the field', () => {
  it('a population that is not a whole number ≥ 0', () => {
    expect(problemOf(() => sampleSize('A', -1))).toEqual({
      message: 'population must be a whole number ≥ 0, got -1',
      errors: [{ path: 'population', message: 'must be a whole number ≥ 0' }],
    });
  });

  it('a sample size outside 0 … population', () => {
    expect(problemOf(() => drawSample(items(5), 6, 's'))).toEqual({
      message: 'sample size must be a whole number from 0 to 5, got 6',
      errors: [{ path: 'size', message: 'must be a whole number from 0 to 5' }],
    });
    expect(problemOf(() => drawSample(items(5), 1.5, 's')).errors).toEqual([
      { path: 'size', message: 'must be a whole number from 0 to 5' },
    ]);
  });

  it('an institution given twice to a draw or a plan', () => {
    expect(problemOf(() => drawSample([{ uscc: 'B' }, { uscc: 'A' }, { uscc: 'B' }], 1, 's'))).toEqual({
      message: 'duplicate institution B in the draw',
      errors: [{ path: 'items', message: 'duplicate uscc B' }],
    });
    const institutions = [
      { uscc: 'X1', grade: 'A' as const },
      { uscc: 'X1', grade: 'B' as const },
    ];
    expect(problemOf(() => drawInspectionPlan({ year: 2026, seed: 's', institutions }))).toEqual({
      message: 'duplicate institution X1 in the plan',
      errors: [{ path: 'institutions', message: 'duplicate uscc X1' }],
    });
  });

  it('a plan year that is not a whole number', () => {
    expect(problemOf(() => drawInspectionPlan({ year: 2026.5, seed: 's', institutions: [] }))).toEqual({
      message: 'year must be a whole number, got 2026.5',
      errors: [{ path: 'year', message: 'must be a whole number' }],
    });
  });

  it('a rate outside its grade’s bound, saying the bound in percent with the figures', () => {
    const refusal = (grade: Grade, rate: number) => {
      try {
        sampleSize(grade, 100, rate);
      } catch (err) {
        return err as RuleViolationError;
      }
      throw new Error('not refused');
    };
    const d = refusal('D', 0.4);
    expect(d.message).toBe('the inspection rate for grade D must be at least 50% and within 0–100%, got 0.4');
    expect(d.details).toEqual({ grade: 'D', rate: 0.4, min: 0.5, max: undefined });
    const a = refusal('A', 0.2);
    expect(a.message).toBe('the inspection rate for grade A must be at most 15% and within 0–100%, got 0.2');
    expect(a.details).toEqual({ grade: 'A', rate: 0.2, min: undefined, max: 0.15 });
  });
});

describe('inspectionRateBounds', () => {
  it('gives only the bound a grade has', () => {
    expect(Object.keys(inspectionRateBounds('A'))).toEqual(['max']);
    expect(Object.keys(inspectionRateBounds('D'))).toEqual(['min']);
    expect(inspectionRateBounds('C')).toStrictEqual({ max: 0.35 });
    expect(inspectionRateBounds('D')).toStrictEqual({ min: 0.5 });
  });
});

describe('the draw order', () => {
  it('is by uscc whatever order the items come in, so the published draw re-runs from any listing', () => {
    const sorted = items(12);
    const reversed = [...sorted].reverse();
    const interleaved = [...sorted.filter((_, i) => i % 2), ...sorted.filter((_, i) => i % 2 === 0)];
    const expected = referenceDraw(12, 12, 'hangzhou-2026');
    for (const listing of [sorted, reversed, interleaved]) {
      expect(drawSample(listing, 12, 'hangzhou-2026').map((i) => i.uscc)).toEqual(expected);
    }
  });

  it('snaps a share within floating-point noise of a whole number before rounding', () => {
    // 0.29 × 100 is 28.999999999999996 and 0.55 × 100 is 55.00000000000001: 29 and 55, not 28 and 56.
    expect(0.55 * 100).toBeGreaterThan(55);
    expect(sampleSize('C', 100, 0.29)).toBe(29);
    expect(sampleSize('D', 100, 0.55)).toBe(55);
    // a true fraction still rounds by the grade's rule
    expect(sampleSize('D', 3, 0.5)).toBe(2);
    expect(sampleSize('C', 3, 0.35)).toBe(1);
  });
});
