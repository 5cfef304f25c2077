import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradeLabel, gradeMeaning, gradeScoreBand } from '#shared/domain/grading.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';
import {
  breakdownProblems,
  gradeForScore,
  isValidScore,
  validateBreakdown,
  validateScore,
} from '../../../shared/domain/grading.ts';
import { GRADES } from '../../../shared/domain/types.ts';

/** Every valid score: 0.0 to 100.0 in tenths. */
const validScore = fc.integer({ min: 0, max: 1000 }).map((t) => t / 10);

describe('gradeForScore', () => {
  it.each([
    [100, 'A'],
    [95, 'A'],
    [94.9, 'B'],
    [85, 'B'],
    [84.9, 'C'],
    [75, 'C'],
    [74.9, 'D'],
    [0, 'D'],
  ] as const)('%d is %s', (score, grade) => {
    expect(gradeForScore(score)).toBe(grade);
  });

  it('grades sums with floating-point noise by their value in tenths', () => {
    expect(80.1 + 4.8).not.toBe(84.9);
    expect(gradeForScore(80.1 + 4.8)).toBe('C');
    expect(gradeForScore(0.1 + 94.9)).toBe('A');
  });

  it('throws for scores that are not valid', () => {
    for (const bad of [-0.1, 100.1, 84.95, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => gradeForScore(bad)).toThrow(ValidationError);
    }
  });

  it('property: a higher score never gives a worse grade', () => {
    fc.assert(
      fc.property(validScore, validScore, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(GRADES.indexOf(gradeForScore(hi))).toBeLessThanOrEqual(GRADES.indexOf(gradeForScore(lo)));
      }),
    );
  });

  it('property: the grade matches the bands', () => {
    fc.assert(
      fc.property(validScore, (s) => {
        const expected = s >= 95 ? 'A' : s >= 85 ? 'B' : s >= 75 ? 'C' : 'D';
        expect(gradeForScore(s)).toBe(expected);
      }),
    );
  });
});

describe('validateScore', () => {
  it('accepts 0, 100 and one decimal place', () => {
    for (const ok of [0, 100, 84.9, 0.1, 99.9, 50]) expect(validateScore(ok)).toEqual([]);
  });

  it('rejects out of range, non-finite, non-numbers and two decimals', () => {
    for (const bad of [
      -0.1,
      100.1,
      84.95,
      84.91,
      0.05,
      1e-300,
      5e-324,
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      '90',
      null,
    ]) {
      const problems = validateScore(bad);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.path).toBe('score');
    }
    expect(validateScore(84.95, 'selfScore')[0]?.message).toContain('one decimal');
    expect(validateScore(84.95, 'selfScore')[0]?.path).toBe('selfScore');
  });

  it('says why a score is refused: not a number, out of range, or too many decimals', () => {
    const notANumber = 'score must be a number from 0 to 100 (评分应为0至100之间的数字)';
    for (const bad of ['80', null, Number.NaN, Number.POSITIVE_INFINITY])
      expect(validateScore(bad)).toEqual([{ path: 'score', message: notANumber }]);
    expect(validateScore(100.5)).toEqual([
      { path: 'score', message: 'score must be from 0 to 100 inclusive, got 100.5 (评分应在0至100之间)' },
    ]);
    expect(validateScore(-1)[0]?.message).toContain('got -1');
  });

  it('property: every tenth from 0 to 100 is valid', () => {
    fc.assert(
      fc.property(validScore, (s) => {
        expect(isValidScore(s)).toBe(true);
      }),
    );
  });

  it('property: hundredths that are not tenths are invalid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }).filter((h) => h % 10 !== 0),
        (h) => {
          expect(isValidScore(h / 100)).toBe(false);
        },
      ),
    );
  });
});

describe('validateBreakdown', () => {
  it('accepts parts that sum to the total, despite floating-point noise', () => {
    expect(
      validateBreakdown(84.9, { 依法执业: 30.1, 医疗质量: 25.3, 患者安全: 19.5, 医院服务: 10 }),
    ).toBeNull();
    expect(validateBreakdown(0.3, { a: 0.1, b: 0.2 })).toBeNull();
  });

  it('says the sum and the total when they differ by a tenth', () => {
    const message = validateBreakdown(85, { a: 40, b: 44.9 });
    expect(message).toContain('84.9');
    expect(message).toContain('85');
  });

  it('rejects negative parts, two decimals, non-numbers and an empty breakdown', () => {
    expect(validateBreakdown(10, { a: -1, b: 11 })).toContain('part a');
    expect(validateBreakdown(10, { a: 5.05, b: 4.95 })).toContain('one decimal');
    expect(breakdownProblems(10, { a: '10' }).map((p) => p.path)).toEqual(['breakdown.a']);
    expect(validateBreakdown(0, {})).not.toBeNull();
  });

  it('accepts a part of exactly 100 and refuses one above, even when the other parts make the sum right', () => {
    expect(breakdownProblems(100, { 依法执业: 100 })).toEqual([]);
    expect(breakdownProblems(100, { 依法执业: 0, 医疗质量: 100 })).toEqual([]);
    expect(breakdownProblems(100, { a: 105, b: -5 })).toEqual([
      { path: 'breakdown.a', message: 'part a must be from 0 to 100, got 105 (分项“a”超出范围)' },
      { path: 'breakdown.b', message: 'part b must be from 0 to 100, got -5 (分项“b”超出范围)' },
    ]);
  });

  it('refuses a part without a name, however many spaces it has', () => {
    for (const blank of ['', ' ', '\u3000\t'])
      expect(breakdownProblems(10, { [blank]: 0, a: 10 })).toEqual([
        { path: `breakdown.${blank}`, message: 'a breakdown part needs a name (分项名称不能为空)' },
      ]);
  });

  it('refuses parts that are not finite numbers, even when the sum would match', () => {
    expect(breakdownProblems(10, { a: '10' })).toEqual([
      { path: 'breakdown.a', message: 'part a must be a number (分项“a”应为数字)' },
    ]);
    expect(breakdownProblems(10, { a: 10, b: Number.NaN }).map((p) => p.message)).toEqual([
      'part b must be a number (分项“b”应为数字)',
    ]);
  });

  it('refuses an empty breakdown, and joins several problems in one message', () => {
    expect(breakdownProblems(0, {}, 'parts')).toEqual([
      { path: 'parts', message: 'breakdown, when given, must have at least one part (分项得分不能为空)' },
    ]);
    expect(validateBreakdown(10, { a: -1, b: 101 })).toBe(
      'part a must be from 0 to 100, got -1 (分项“a”超出范围); part b must be from 0 to 100, got 101 (分项“b”超出范围)',
    );
  });

  it('lists every invalid part by path', () => {
    expect(breakdownProblems(10, { a: -1, b: 1.25, c: 3 }).map((p) => p.path)).toEqual([
      'breakdown.a',
      'breakdown.b',
    ]);
  });

  it('property: any split of a total in tenths is accepted, and one tenth more is not', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 6 }), (tenths) => {
        const total = tenths.reduce((a, b) => a + b, 0) / 10;
        const breakdown = Object.fromEntries(tenths.map((t, i) => [`part${i}`, t / 10]));
        expect(validateBreakdown(total, breakdown)).toBeNull();
        expect(validateBreakdown(total + 0.1, breakdown)).not.toBeNull();
      }),
    );
  });
});

describe('grade labels and meanings', () => {
  it('labels each grade as API.md shows', () => {
    expect(Object.fromEntries(GRADES.map((g) => [g, gradeLabel(g)]))).toEqual({
      A: 'A级示范机构',
      B: 'B级规范机构',
      C: 'C级合格机构',
      D: 'D级待提升机构',
    });
  });

  it('shows the public score band of each grade, half-open as the grades are computed', () => {
    expect(Object.fromEntries(GRADES.map((g) => [g, gradeScoreBand(g)]))).toEqual({
      A: '95–100分',
      B: '85–94.9分',
      C: '75–84.9分',
      D: '75分以下',
    });
    expect(gradeForScore(94.9)).toBe('B');
    expect(gradeForScore(84.9)).toBe('C');
    expect(gradeForScore(74.9)).toBe('D');
  });

  it('explains every grade in Chinese', () => {
    for (const g of GRADES) expect(gradeMeaning(g)).toMatch(/[\u4e00-\u9fff]{10,}/);
    expect(gradeMeaning('A')).toContain('示范');
    expect(gradeMeaning('D')).toContain('有待提升');
  });
});
