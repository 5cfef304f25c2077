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

/** The high-risk activities, in display order, with their Chinese labels. */
export const HIGH_RISK_SERVICE_LABELS: Record<keyof WatchListServices, string> = {
  generalAnesthesia: '全麻手术',
  liposuction: '抽脂手术',
  prepaidNonCompliant: '未按规范开展预付式消费',
};

/** The Chinese labels of the reasons an institution is on the watch list; empty when it is not. */
export function watchListReasons(
  grade: Grade | null,
  services: WatchListServices | null | undefined,
): string[] {
  if (grade !== 'D' || !services) return [];
  const keys = Object.keys(HIGH_RISK_SERVICE_LABELS) as (keyof WatchListServices)[];
  return keys.filter((key) => services[key] === true).map((key) => HIGH_RISK_SERVICE_LABELS[key]);
}

/** A D institution with any high-risk activity is on the watch list. */
export function isOnWatchList(grade: Grade | null, services: WatchListServices | null | undefined): boolean {
  return watchListReasons(grade, services).length > 0;
}
