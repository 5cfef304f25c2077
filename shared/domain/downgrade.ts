import { addYears, minDate } from './dates.ts';
import { latestRules, type RuleRevision } from './rules.ts';
import { GRADES, type Grade, type LocalDate, type Severity } from './types.ts';

/** Automatic downgrade (自动降级), DOMAIN.md "Dynamic management". */

/*
 * Grades lost per severity come from the rulebook revision (Hangzhou, DOMAIN.md decided defaults: general
 * one grade, serious two, severe straight to D; minor none, as DOMAIN lists no default for it).
 */

/**
 * The grade an institution falls to after a violation, accident or adverse event of this severity, or
 * null when the grade does not change: a minor case, an institution already at D (only A, B and C are
 * downgraded), or one with no grade.
 */
export function downgradeTarget(
  grade: Grade | null,
  severity: Severity,
  rules: RuleRevision = latestRules(),
): Grade | null {
  if (grade === null || grade === 'D') return null;
  const steps = rules.downgrade[severity];
  if (steps === 0) return null;
  if (steps === 'to_D') return 'D';
  const lowest = GRADES.length - 1;
  return GRADES[Math.min(GRADES.indexOf(grade) + steps, lowest)] as Grade;
}

/**
 * Re-review due date after a downgrade: the earlier of the existing due date and the new grade's interval
 * counted from the downgrade date (DOMAIN.md).
 */
export function downgradedDueDate(
  existingDue: LocalDate | null,
  newGrade: Grade,
  downgradedOn: LocalDate,
  rules: RuleRevision = latestRules(),
): LocalDate {
  const fromDowngrade = addYears(downgradedOn, rules.reviewIntervalYears[newGrade]);
  return existingDue ? minDate(existingDue, fromDowngrade) : fromDowngrade;
}

/**
 * The downgrade a result would lift (DOMAIN.md "Life of a grading result" 6), or null: a downgrade stands
 * until a result assessed after its violation date is published, so a result assessed on or before that
 * date may not publish a better grade than the downgrade set.
 */
export function downgradeLiftedBy<
  V extends { occurredOn: LocalDate; gradeAfter: Grade | null; recordedOn: LocalDate },
>(result: { assessedOn: LocalDate; grade: Grade }, violations: readonly V[]): V | null {
  const rank = (g: Grade) => GRADES.indexOf(g);
  const standing = violations.filter(
    (v): v is V & { gradeAfter: Grade } =>
      v.gradeAfter !== null && v.occurredOn >= result.assessedOn && rank(result.grade) < rank(v.gradeAfter),
  );
  standing.sort((a, b) => (a.occurredOn < b.occurredOn ? 1 : -1));
  return standing[0] ?? null;
}
