import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRADES } from '../../../shared/domain/types.ts';
import { isOnWatchList, watchListReasons } from '../../../shared/domain/watchlist.ts';

describe('watchlist', () => {
  it('lists a D institution for each high-risk activity', () => {
    expect(watchListReasons('D', { generalAnesthesia: true })).toEqual(['全麻手术']);
    expect(watchListReasons('D', { liposuction: true })).toEqual(['抽脂手术']);
    expect(watchListReasons('D', { prepaidNonCompliant: true })).toEqual(['未按规范开展预付式消费']);
    expect(
      watchListReasons('D', { generalAnesthesia: true, liposuction: true, prepaidNonCompliant: true }),
    ).toEqual(['全麻手术', '抽脂手术', '未按规范开展预付式消费']);
    expect(isOnWatchList('D', { liposuction: true })).toBe(true);
  });

  it('does not list a D institution without high-risk activity', () => {
    expect(isOnWatchList('D', {})).toBe(false);
    expect(isOnWatchList('D', { generalAnesthesia: false, liposuction: false })).toBe(false);
    expect(isOnWatchList('D', null)).toBe(false);
  });

  it('does not list A, B, C or ungraded institutions whatever they do', () => {
    const all = { generalAnesthesia: true, liposuction: true, prepaidNonCompliant: true };
    for (const g of ['A', 'B', 'C', null] as const) {
      expect(isOnWatchList(g, all)).toBe(false);
      expect(watchListReasons(g, all)).toEqual([]);
    }
  });

  it('property: on the list exactly when D and some activity is true', () => {
    const flag = fc.option(fc.boolean(), { nil: undefined });
    fc.assert(
      fc.property(fc.constantFrom(...GRADES, null), flag, flag, flag, (grade, a, l, p) => {
        const services = { generalAnesthesia: a, liposuction: l, prepaidNonCompliant: p };
        expect(isOnWatchList(grade, services)).toBe(
          grade === 'D' && (a === true || l === true || p === true),
        );
      }),
    );
  });
});
