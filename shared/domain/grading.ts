import { type FieldProblem, ValidationError } from './errors.ts';
import { latestRules, type RuleRevision } from './rules.ts';
import { GRADES, type Grade } from './types.ts';

/** Scores and grades (DOMAIN.md "Scoring and grades"). */

export const MIN_SCORE = 0;
export const MAX_SCORE = 100;

/** The grade's name (A级示范机构 …) under a revision of the rulebook (default: the newest). */
export function gradeLabel(grade: Grade, rules: RuleRevision = latestRules()): string {
  return gradeRule(grade, rules).label;
}

/** What the grade means, in plain Chinese for the public page. */
export function gradeMeaning(grade: Grade, rules: RuleRevision = latestRules()): string {
  return gradeRule(grade, rules).meaning;
}

/**
 * The score band of a grade as shown to the public, from the floors: the seed's integer bands read as
 * half-open intervals (DOMAIN.md, decided), so B with floors 95/85 is 85–94.9分.
 */
export function gradeScoreBand(grade: Grade, rules: RuleRevision = latestRules()): string {
  const i = GRADES.indexOf(grade);
  const floor = gradeRule(grade, rules).min;
  const above = rules.grades[i - 1];
  if (!above) return `${floor}–${MAX_SCORE}分`;
  const top = (scoreTenths(above.min) - 1) / 10;
  return floor === MIN_SCORE ? `${above.min}分以下` : `${floor}–${top}分`;
}

function gradeRule(grade: Grade, rules: RuleRevision) {
  return (
    rules.grades.find((g) => g.grade === grade) ?? (rules.grades.at(-1) as RuleRevision['grades'][number])
  );
}

/** A score in tenths of a point, rounded, so that 80.1 + 4.8 compares equal to 84.9. */
export function scoreTenths(score: number): number {
  return Math.round(score * 10);
}

function hasAtMostOneDecimal(value: number): boolean {
  // Tolerance: 84.9 * 10 is 848.9999999999999 in binary floating point, but 84.95 * 10 is a true half.
  // Stryker disable next-line EqualityOperator: a distance of exactly 1e-9 never arises from a value in tenths or a true half
  // A value that rounds to no tenths is 0 itself: 1e-300 is not, and DynamoDB could not store it.
  return (
    Math.abs(Math.round(value * 10) - value * 10) < 1e-9 && (value === 0 || Math.round(value * 10) !== 0)
  );
}

/**
 * Problems with a total score: it must be a finite number from 0 to 100 inclusive with at most one
 * decimal place (DOMAIN.md, decided). Empty when the score is valid.
 */
export function validateScore(score: unknown, path = 'score'): FieldProblem[] {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for a non-number anyway
  if (typeof score !== 'number' || !Number.isFinite(score)) {
    return [{ path, message: 'score must be a number from 0 to 100 (评分应为0至100之间的数字)' }];
  }
  if (score < MIN_SCORE || score > MAX_SCORE) {
    return [{ path, message: `score must be from 0 to 100 inclusive, got ${score} (评分应在0至100之间)` }];
  }
  if (!hasAtMostOneDecimal(score)) {
    return [
      { path, message: `score may have at most one decimal place, got ${score} (评分最多保留一位小数)` },
    ];
  }
  return [];
}

/** True when `score` is a valid total score. */
export function isValidScore(score: unknown): score is number {
  return validateScore(score).length === 0;
}

/**
 * The grade a total score earns under a revision's floors (Hangzhou: A ≥ 95, 85 ≤ B < 95, 75 ≤ C < 85,
 * D < 75), compared in tenths. Throws a ValidationError for a score that `validateScore` rejects, so a
 * bad score never gets a grade.
 */
export function gradeForScore(score: number, rules: RuleRevision = latestRules()): Grade {
  const problems = validateScore(score);
  // Stryker disable next-line LogicalOperator,OptionalChaining,StringLiteral: a non-empty list always has a first problem; the fallback is for the type checker
  if (problems.length > 0) throw new ValidationError(problems[0]?.message ?? 'invalid score', problems);
  const tenths = scoreTenths(score);
  for (const { grade, min } of rules.grades) {
    if (tenths >= scoreTenths(min)) return grade;
  }
  // Stryker disable next-line StringLiteral: unreachable, D's floor is 0 and a valid score is never below it
  return 'D';
}

/**
 * Problems with a per-part breakdown (e.g. 依法执业, 医疗质量): every part is a number ≥ 0 with at most one
 * decimal place and the parts sum to the total (DOMAIN.md "Scoring and grades"). Compared in whole tenths,
 * so floating-point noise never makes a correct breakdown fail.
 */
export function breakdownProblems(
  total: number,
  breakdown: Record<string, unknown>,
  path = 'breakdown',
): FieldProblem[] {
  const entries = Object.entries(breakdown);
  if (entries.length === 0) {
    return [{ path, message: 'breakdown, when given, must have at least one part (分项得分不能为空)' }];
  }
  const problems: FieldProblem[] = [];
  let sumTenths = 0;
  for (const [name, value] of entries) {
    const at = `${path}.${name}`;
    if (name.trim() === '') {
      problems.push({ path: at, message: 'a breakdown part needs a name (分项名称不能为空)' });
    } else if (
      // Stryker disable next-line ConditionalExpression: Number.isFinite is false for a non-number anyway
      typeof value !== 'number' ||
      !Number.isFinite(value)
    ) {
      problems.push({ path: at, message: `part ${name} must be a number (分项“${name}”应为数字)` });
    } else if (value < 0 || value > MAX_SCORE) {
      problems.push({
        path: at,
        message: `part ${name} must be from 0 to 100, got ${value} (分项“${name}”超出范围)`,
      });
    } else if (!hasAtMostOneDecimal(value)) {
      problems.push({
        path: at,
        message: `part ${name} may have at most one decimal place, got ${value} (分项“${name}”最多保留一位小数)`,
      });
    } else {
      sumTenths += scoreTenths(value);
    }
  }
  if (problems.length === 0 && Number.isFinite(total) && sumTenths !== scoreTenths(total)) {
    const sum = sumTenths / 10;
    problems.push({
      path,
      message: `breakdown parts sum to ${sum}, but the score is ${total} (分项得分之和${sum}与总分${total}不一致)`,
    });
  }
  return problems;
}

/** The breakdown's problems as one message, or null when it is valid. */
export function validateBreakdown(total: number, breakdown: Record<string, number>): string | null {
  const problems = breakdownProblems(total, breakdown);
  return problems.length === 0 ? null : problems.map((p) => p.message).join('; ');
}
