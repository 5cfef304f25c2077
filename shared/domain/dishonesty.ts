import { latestRules, type RuleRevision } from './rules.ts';
import type { Grade, LocalDate, Severity } from './types.ts';

/** Prudent supervision (审慎监管), DOMAIN.md "Credit supervision". */

/*
 * The grades for which effective compliance rectification counts as timely correction (合规整改视为及时改正;
 * Hangzhou A/B/C) and those whose minor violations rectified in time may be left out of the dishonesty
 * record (Hangzhou A/B) are the rulebook revision's `prudentSupervision`.
 */
const gradeList = (grades: readonly Grade[]) => grades.map((g) => `${g}级`).join('、');

export interface Rectification {
  rectifiedOn?: LocalDate | null;
  rectificationDeadline?: LocalDate | null;
  /** The rectification was an effective compliance rectification (有效合规整改), as judged by the regulator. */
  effectiveCompliance?: boolean;
}

/**
 * Whether a rectification counts as timely correction: rectified with no deadline set or on or before it
 * (decided), or, for A/B/C, an effective compliance rectification whenever it was completed (DOMAIN.md).
 */
export function rectificationCountsAsTimely(
  grade: Grade | null,
  rectification: Rectification,
  rules: RuleRevision = latestRules(),
): boolean {
  const { rectifiedOn, rectificationDeadline, effectiveCompliance } = rectification;
  if (!rectifiedOn) return false;
  if (!rectificationDeadline || rectifiedOn <= rectificationDeadline) return true;
  return (
    effectiveCompliance === true &&
    // Stryker disable next-line ConditionalExpression: includes(null) is false anyway
    grade !== null &&
    rules.prudentSupervision.complianceRectificationGrades.includes(grade)
  );
}

export interface DishonestyCase extends Rectification {
  grade: Grade | null;
  severity: Severity;
}

/**
 * Whether a violation enters the dishonesty record (失信评价). For A/B, a minor violation rectified in time
 * may be left out (DOMAIN.md, 可以不作失信评价; decided: it is left out); everything else enters.
 */
export function entersDishonestyRecord(
  input: DishonestyCase,
  rules: RuleRevision = latestRules(),
): { enters: boolean; reason: string } {
  const { grade, severity } = input;
  const exempt = rules.prudentSupervision.dishonestyExemptGrades;
  // Stryker disable next-line ConditionalExpression: includes(null) is false anyway
  if (grade === null || !exempt.includes(grade)) {
    return {
      enters: true,
      reason: `${grade === null ? '未评级' : `${grade}级`}机构不适用轻微违法及时改正免于失信评价的规定（仅${gradeList(exempt)}机构适用），纳入失信评价`,
    };
  }
  if (severity !== 'minor') {
    return {
      enters: true,
      reason: '非轻微违法行为，纳入失信评价（仅轻微违法行为及时改正的可以不作失信评价）',
    };
  }
  if (!rectificationCountsAsTimely(grade, input, rules)) {
    return { enters: true, reason: '轻微违法行为未及时改正，纳入失信评价' };
  }
  return {
    enters: false,
    reason: `${grade}级机构轻微违法行为已及时改正，依据审慎监管规定不作失信评价`,
  };
}
