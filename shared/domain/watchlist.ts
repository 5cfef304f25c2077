import { latestRules, type RuleRevision } from './rules.ts';
import type { Grade } from './types.ts';

/**
 * Watch list (重点关注清单), DOMAIN.md "Credit supervision": D institutions with high-risk activity.
 * Regulators only: API.md forbids showing watch-list status publicly.
 */

export interface WatchListServices {
  generalAnesthesia?: boolean | null;
  liposuction?: boolean | null;
  prepaidNonCompliant?: boolean | null;
}

/**
 * The Chinese labels of the reasons an institution is on the watch list, in the revision's order; empty
 * when it is not. Which grades and activities count is the revision's `watchList` (Hangzhou: D with
 * 全麻手术, 抽脂手术 or 未按规范开展预付式消费).
 */
export function watchListReasons(
  grade: Grade | null,
  services: WatchListServices | null | undefined,
  rules: RuleRevision = latestRules(),
): string[] {
  // Stryker disable next-line ConditionalExpression: includes(null) is false anyway
  if (grade === null || !rules.watchList.grades.includes(grade) || !services) return [];
  return rules.watchList.activities.filter((a) => services[a.key] === true).map((a) => a.label);
}

/** An institution of a watched grade with any high-risk activity is on the watch list. */
export function isOnWatchList(
  grade: Grade | null,
  services: WatchListServices | null | undefined,
  rules: RuleRevision = latestRules(),
): boolean {
  return watchListReasons(grade, services, rules).length > 0;
}
