import { addYears, yearOf } from './dates.ts';
import { type ActingParty, type Authorisation, authorise } from './permissions.ts';
import { latestRules, type RuleRevision, scoredBy } from './rules.ts';
import type { Grade, Kind, LocalDate } from './types.ts';

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
  // Stryker disable next-line ConditionalExpression: includes(null) is false anyway
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

/** Where regulators found a self-assessment untrue after the application was decided. */
export const UNTRUE_FOUND_AT = ['decision', 'review', 'inspection'] as const;
export type UntrueFoundAt = (typeof UNTRUE_FOUND_AT)[number];

/**
 * Who may decide an upgrade application: the permission table (the city every application, a district
 * officer those of its district's clinics), and DOMAIN.md's clinic path on top: an accepted
 * application carries the new score, so a clinic's is accepted only by its district, which scores it.
 */
export function canDecideUpgrade(
  actor: ActingParty,
  inst: { kind: Kind; district: string },
  outcome: 'accepted' | 'refused' | 'untrue',
): Authorisation {
  const operation =
    outcome === 'untrue'
      ? 'postV1AdminUpgradeApplicationsByIdUntrueFinding'
      : 'postV1AdminUpgradeApplicationsByIdDecision';
  const allowed = authorise(operation, actor, { institution: inst });
  if (!allowed.allowed) return allowed;
  if (outcome === 'accepted' && scoredBy(inst.kind) === 'district' && actor.role !== 'district') {
    return {
      allowed: false,
      reason: `a clinic's upgrade is scored by its district (${inst.district}); the district officer accepts it with the new score, then the district health admin approves and the city re-checks`,
    };
  }
  return allowed;
}
