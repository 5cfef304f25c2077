import { latestRules, type RuleRevision } from './rules.ts';
import type { Grade } from './types.ts';

/**
 * The conveniences (便利化服务) and supervision a grade brings, for the public page (DOMAIN.md "Credit
 * supervision"). Public text: nothing here may mention random inspections (双随机抽查) or the watch list
 * (API.md: never anything about random inspections).
 */

export interface Measure {
  code: string;
  label: string;
  description: string;
}

/**
 * The measures a grade earns under a revision (its `conveniences`; Hangzhou: A remote verification; A and
 * B priority handling, notification-commitment and tolerance of missing documents; A, B and C off-site
 * supervision; D key supervision), as fresh objects the caller may serialise; none without a grade.
 */
export function measuresForGrade(grade: Grade | null, rules: RuleRevision = latestRules()): Measure[] {
  // Stryker disable next-line ConditionalExpression: no convenience lists a null grade anyway
  if (grade === null) return [];
  return rules.conveniences
    .filter((c) => c.grades.includes(grade))
    .map((c) => ({ code: c.code, label: c.label, description: c.description }));
}
