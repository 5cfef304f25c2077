import { addYears, yearOf } from './dates.ts';
import { latestRules, type RuleRevision } from './rules.ts';
import type { Grade, LocalDate } from './types.ts';

/** Upgrade applications (主动升级), DOMAIN.md "Dynamic management". */

/*
 * Who may apply, how often, and the ban after an untrue self-assessment (自评不实、隐瞒、欺骗) come from the
 * rulebook revision's `upgrade` (Hangzhou: B or C, once per calendar year, 2 years).
 */

const gradeList = (grades: readonly Grade[]) => grades.map((g) => `${g}级`).join('、');

export type UpgradeRule = 'grade_not_eligible' | 'already_applied_this_year' | 'banned';

export type UpgradeEligibility =
  | { eligible: true }
  | { eligible: false; rule: UpgradeRule; reason: string; banUntil?: LocalDate };

export interface UpgradeEligibilityInput {
  /** The institution's current (published) grade; null when it has none. */
  grade: Grade | null;
  today: LocalDate;
  /** Applications already made in the calendar year of `today` (see countApplicationsInYear). */
  applicationsThisYear: number;
  /** First day the institution may apply again after an untrue self-assessment; none when not banned. */
  banUntil?: LocalDate | null;
}

/**
 * Whether an institution may apply for an upgrade today: only the revision's eligible grades (B or C,
 * DOMAIN.md), its number of times per calendar year, and not while banned (today < banUntil).
 */
export function checkUpgradeEligibility(
  input: UpgradeEligibilityInput,
  rules: RuleRevision = latestRules(),
): UpgradeEligibility {
  const { grade, today, applicationsThisYear, banUntil } = input;
  const { eligibleGrades, applicationsPerYear, banYears } = rules.upgrade;
  const only = `仅${gradeList(eligibleGrades)}机构可申请`;
  if (grade === null || !eligibleGrades.includes(grade)) {
    return {
      eligible: false,
      rule: 'grade_not_eligible',
      reason:
        grade === null
          ? `尚未取得公布的评级，不能申请主动升级（${only}）`
          : `${grade}级机构不能申请主动升级（${only}）`,
    };
  }
  if (banUntil && today < banUntil) {
    return {
      eligible: false,
      rule: 'banned',
      reason: `自评不实、隐瞒或欺骗被查实，${banYears}年内不得申请主动升级，${banUntil}起可再次申请`,
      banUntil,
    };
  }
  if (applicationsThisYear >= applicationsPerYear) {
    return {
      eligible: false,
      rule: 'already_applied_this_year',
      reason: `${yearOf(today)}年已申请过主动升级，每个自然年度只能申请${applicationsPerYear === 1 ? '一' : applicationsPerYear}次`,
    };
  }
  return { eligible: true };
}

/** How many of the given application dates fall in the calendar year of `today`. */
export function countApplicationsInYear(applicationDates: readonly LocalDate[], today: LocalDate): number {
  const year = yearOf(today);
  return applicationDates.filter((d) => yearOf(d) === year).length;
}

/** First day an institution may apply again after its self-assessment was found untrue on `foundOn`. */
export function upgradeBanEnd(foundOn: LocalDate, rules: RuleRevision = latestRules()): LocalDate {
  return addYears(foundOn, rules.upgrade.banYears);
}
