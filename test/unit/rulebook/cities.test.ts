import { afterEach, describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { addDays, addYears } from '#shared/domain/dates.ts';
import { gradeForScore, gradeScoreBand } from '#shared/domain/grading.ts';
import { nextStatus } from '#shared/domain/lifecycle.ts';
import { firstPendingReminder, nextReviewDue, reminderDate } from '#shared/domain/review.ts';
import { kindsInScope, rulesOf, rulesOn } from '#shared/domain/rules.ts';
import { scopeRefusal } from '#shared/domain/scope.ts';
import { GRADES, KINDS } from '#shared/domain/types.ts';
import { checkUpgradeEligibility } from '#shared/domain/upgrade.ts';
import { installRulebook, rulebook } from '#shared/rulebook/current.ts';
import { loadRulebookFile } from '#shared/rulebook/load.ts';

/**
 * The grading, scope, publicity and re-review rules run on each shipped rulebook and on a test-only one
 * with other floors, intervals, reminders, publicity days and scope: nothing city-specific hides in code.
 */
// The files of a layer may share one module graph (vitest.config.ts): leave the process's rulebook as found.
const inForce = rulebook();
afterEach(() => installRulebook(inForce));

const BOOKS = [
  loadRulebookFile('rulebooks/hangzhou.json'),
  loadRulebookFile('rulebooks/ningbo.json'),
  loadRulebookFile('test/fixtures/rulebooks/testcity.json'),
];
const calendar = new WorkingDayCalendar();

describe.each(BOOKS.map((b) => [b.id, b] as const))('rules of %s', (_id, book) => {
  for (const rules of book.revisions) {
    it(`grades by the floors of revision ${rules.id}, half-open`, () => {
      rules.grades.forEach((g, i) => {
        expect(gradeForScore(g.min, rules)).toBe(g.grade);
        if (g.min > 0) expect(gradeForScore((g.min * 10 - 1) / 10, rules)).toBe(GRADES[i + 1]);
      });
      expect(gradeForScore(100, rules)).toBe('A');
      expect(gradeScoreBand('A', rules)).toBe(`${rules.grades[0]?.min}–100分`);
    });

    it(`publicises for the working days of revision ${rules.id}`, () => {
      const { startOn, endOn } = calendar.publicityWindow('2026-03-06', rules);
      expect(startOn).toBe('2026-03-06');
      expect(calendar.countWorkingDays(startOn, endOn)).toBe(rules.publicity.workingDays);
      expect(calendar.isWorkingDay(endOn)).toBe(true);
    });

    it(`schedules re-reviews and reminders by revision ${rules.id}`, () => {
      for (const grade of GRADES) {
        const due = nextReviewDue('2026-03-06', grade, rules);
        expect(due).toBe(addYears('2026-03-06', rules.reviewIntervalYears[grade]));
        expect(reminderDate(due, 'due_90', rules)).toBe(addDays(due, -(rules.reminderDaysBefore[0] ?? 0)));
        expect(reminderDate(due, 'due_7', rules)).toBe(addDays(due, -(rules.reminderDaysBefore[2] ?? 0)));
      }
      const due = '2027-06-30';
      const between = addDays(due, -((rules.reminderDaysBefore[0] ?? 0) - 1));
      expect(firstPendingReminder(due, between, rules).point).toBe('due_30');
    });
  }

  it('puts in scope exactly the kinds the rulebook lists, and follows who scores them', () => {
    installRulebook(book);
    for (const kind of KINDS) {
      const inScope = book.kinds[kind] !== undefined;
      expect(scopeRefusal({ kind, name: '示例医疗美容机构' }, book) === null).toBe(inScope);
      if (!inScope) continue;
      const byDistrict = book.kinds[kind]?.scoredBy === 'district';
      expect(nextStatus(kind, 'scored', 'approve') !== null).toBe(byDistrict);
      expect(nextStatus(kind, 'scored', 'publicise') !== null).toBe(!byDistrict);
    }
    expect(scopeRefusal({ kind: 'general_hospital', name: '示例综合医院' }, book)).toMatch(/out of scope/);
    expect(kindsInScope(book).length).toBeGreaterThan(0);
  });

  it('lets only the revision’s grades apply for an upgrade', () => {
    const rules = rulesOn('2026-06-01', book);
    for (const grade of GRADES) {
      const check = checkUpgradeEligibility({ grade, today: '2026-06-01', applicationsThisYear: 0 }, rules);
      expect(check.eligible).toBe(rules.upgrade.eligibleGrades.includes(grade));
    }
  });
});

describe('revisions', () => {
  const book = BOOKS[2] as (typeof BOOKS)[number];

  it('grades a result by the revision in force on its assessment date, never re-grading older ones', () => {
    expect(rulesOn('2026-12-31', book).id).toBe('t-1');
    expect(rulesOn('2027-01-01', book).id).toBe('t-2');
    expect(rulesOn('2020-01-01', book).id).toBe('t-1');
    expect(gradeForScore(91, rulesOn('2026-12-31', book))).toBe('A');
    expect(gradeForScore(91, rulesOn('2027-01-01', book))).toBe('B');
    // A result keeps the revision it recorded, even when published under a later one.
    expect(rulesOf({ revision: 't-1', assessedOn: '2027-03-01' }, book).id).toBe('t-1');
    expect(rulesOf({ assessedOn: '2027-03-01' }, book).id).toBe('t-2');
  });

  it('carries unchanged sections over and applies the changed ones', () => {
    const [first, second] = book.revisions;
    expect(second?.reviewIntervalYears).toEqual(first?.reviewIntervalYears);
    const window = (r: typeof first) => calendar.publicityWindow('2026-03-02', r);
    expect(calendar.countWorkingDays(window(first).startOn, window(first).endOn)).toBe(3);
    expect(calendar.countWorkingDays(window(second).startOn, window(second).endOn)).toBe(7);
  });
});
