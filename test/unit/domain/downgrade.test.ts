import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestRules } from '#shared/domain/rules.ts';
import { addDays } from '../../../shared/domain/dates.ts';
import { downgradedDueDate, downgradeLiftedBy, downgradeTarget } from '../../../shared/domain/downgrade.ts';
import { GRADES, SEVERITIES } from '../../../shared/domain/types.ts';

describe('downgradeTarget', () => {
  it.each([
    ['A', 'minor', null],
    ['A', 'general', 'B'],
    ['A', 'serious', 'C'],
    ['A', 'severe', 'D'],
    ['B', 'minor', null],
    ['B', 'general', 'C'],
    ['B', 'serious', 'D'],
    ['B', 'severe', 'D'],
    ['C', 'minor', null],
    ['C', 'general', 'D'],
    ['C', 'serious', 'D'],
    ['C', 'severe', 'D'],
    ['D', 'minor', null],
    ['D', 'general', null],
    ['D', 'serious', null],
    ['D', 'severe', null],
  ] as const)('%s with a %s case becomes %s', (grade, severity, target) => {
    expect(downgradeTarget(grade, severity)).toBe(target);
  });

  it('leaves an ungraded institution alone', () => {
    for (const s of SEVERITIES) expect(downgradeTarget(null, s)).toBeNull();
  });

  it('keeps the decided defaults in one table', () => {
    expect(latestRules().downgrade).toEqual({ minor: 0, general: 1, serious: 2, severe: 'to_D' });
  });

  it('property: a downgrade is always strictly lower, never below D, and more severe is never milder', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GRADES), fc.constantFrom(...SEVERITIES), (grade, severity) => {
        const target = downgradeTarget(grade, severity);
        if (target !== null) expect(GRADES.indexOf(target)).toBeGreaterThan(GRADES.indexOf(grade));
        const worse = SEVERITIES[SEVERITIES.indexOf(severity) + 1];
        if (worse && target !== null) {
          const worseTarget = downgradeTarget(grade, worse);
          expect(GRADES.indexOf(worseTarget ?? 'A')).toBeGreaterThanOrEqual(GRADES.indexOf(target));
        }
      }),
    );
  });
});

describe('downgradedDueDate', () => {
  it('keeps an earlier existing due date', () => {
    expect(downgradedDueDate('2027-01-10', 'C', '2026-06-01')).toBe('2027-01-10');
  });

  it('brings the due date forward to the new interval', () => {
    expect(downgradedDueDate('2029-01-10', 'D', '2026-06-01')).toBe('2027-06-01');
  });

  it('uses the new interval when there is no existing due date, and on a tie', () => {
    expect(downgradedDueDate(null, 'C', '2026-06-01')).toBe('2028-06-01');
    expect(downgradedDueDate('2027-06-01', 'D', '2026-06-01')).toBe('2027-06-01');
  });

  it('property: never later than either candidate', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), fc.constantFrom(...GRADES), (a, b, grade) => {
        const existing = addDays('2020-01-01', a);
        const on = addDays('2020-01-01', b);
        const due = downgradedDueDate(existing, grade, on);
        expect(due <= existing).toBe(true);
        expect(due <= downgradedDueDate(null, grade, on)).toBe(true);
        expect([existing, downgradedDueDate(null, grade, on)]).toContain(due);
      }),
    );
  });
});

describe('downgradeLiftedBy (a downgrade stands until a result assessed after its violation date)', () => {
  const violation = (occurredOn: string, gradeAfter: 'A' | 'B' | 'C' | 'D' | null) => ({
    occurredOn,
    gradeAfter,
    recordedOn: addDays(occurredOn, 3),
  });

  it('blocks a better grade from a result assessed on or before the violation date', () => {
    const v = violation('2026-05-10', 'C');
    expect(downgradeLiftedBy({ assessedOn: '2026-05-10', grade: 'B' }, [v])).toBe(v);
    expect(downgradeLiftedBy({ assessedOn: '2026-04-01', grade: 'A' }, [v])).toBe(v);
  });

  it('lets a result assessed after the violation date publish any grade', () => {
    expect(
      downgradeLiftedBy({ assessedOn: '2026-05-11', grade: 'A' }, [violation('2026-05-10', 'C')]),
    ).toBeNull();
  });

  it('lets an earlier-assessed result publish the downgraded grade or a worse one', () => {
    const v = violation('2026-05-10', 'C');
    expect(downgradeLiftedBy({ assessedOn: '2026-05-01', grade: 'C' }, [v])).toBeNull();
    expect(downgradeLiftedBy({ assessedOn: '2026-05-01', grade: 'D' }, [v])).toBeNull();
  });

  it('ignores violations that changed no grade', () => {
    expect(
      downgradeLiftedBy({ assessedOn: '2026-05-01', grade: 'A' }, [violation('2026-05-10', null)]),
    ).toBeNull();
    expect(downgradeLiftedBy({ assessedOn: '2026-05-01', grade: 'A' }, [])).toBeNull();
  });

  it('names the latest standing downgrade when several would be lifted', () => {
    const first = violation('2026-03-01', 'B');
    const latest = violation('2026-06-01', 'C');
    const other = violation('2026-04-01', 'D');
    const result = { assessedOn: '2026-02-01', grade: 'A' as const };
    expect(downgradeLiftedBy(result, [first, latest, other])).toBe(latest);
    expect(downgradeLiftedBy(result, [latest, other, first])).toBe(latest);
    expect(downgradeLiftedBy(result, [other, first])).toBe(other);
  });
});

describe('downgradeTarget steps', () => {
  it('steps down by the revision’s grades lost, never below D, and straight to D when it says so', () => {
    const rules = latestRules();
    const steps = (general: number | 'to_D') => ({ ...rules, downgrade: { ...rules.downgrade, general } });
    expect(downgradeTarget('A', 'general', steps(3))).toBe('D');
    expect(downgradeTarget('B', 'general', steps(3))).toBe('D');
    expect(downgradeTarget('A', 'general', steps(2))).toBe('C');
    expect(downgradeTarget('A', 'general', steps('to_D'))).toBe('D');
    expect(downgradeTarget('C', 'general', steps(1))).toBe('D');
  });
});
