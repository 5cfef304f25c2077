import { describe, expect, it } from 'vitest';
import {
  checkUpgradeEligibility,
  countApplicationsInYear,
  UPGRADE_BAN_YEARS,
  upgradeBanEnd,
} from '../../../shared/domain/upgrade.ts';

const today = '2026-06-01';

describe('checkUpgradeEligibility', () => {
  it('allows B and C with no application this year and no ban', () => {
    expect(checkUpgradeEligibility({ grade: 'B', today, applicationsThisYear: 0 })).toEqual({
      eligible: true,
    });
    expect(checkUpgradeEligibility({ grade: 'C', today, applicationsThisYear: 0, banUntil: null })).toEqual({
      eligible: true,
    });
  });

  it.each(['A', 'D', null] as const)('refuses grade %s', (grade) => {
    expect(checkUpgradeEligibility({ grade, today, applicationsThisYear: 0 })).toMatchObject({
      eligible: false,
      rule: 'grade_not_eligible',
      reason: expect.stringContaining('B级、C级'),
    });
  });

  it('allows only one application per calendar year', () => {
    expect(checkUpgradeEligibility({ grade: 'B', today, applicationsThisYear: 1 })).toMatchObject({
      eligible: false,
      rule: 'already_applied_this_year',
      reason: expect.stringContaining('2026'),
    });
  });

  it('refuses while banned, up to the day before banUntil', () => {
    const banUntil = '2026-06-02';
    expect(checkUpgradeEligibility({ grade: 'C', today, applicationsThisYear: 0, banUntil })).toEqual({
      eligible: false,
      rule: 'banned',
      reason: expect.stringContaining(banUntil),
      banUntil,
    });
    expect(
      checkUpgradeEligibility({ grade: 'C', today: banUntil, applicationsThisYear: 0, banUntil }),
    ).toEqual({ eligible: true });
  });

  it('refuses a second application in the year and allows the first, on the last day of the year too', () => {
    const lastDay = '2026-12-31';
    expect(checkUpgradeEligibility({ grade: 'C', today: lastDay, applicationsThisYear: 0 })).toEqual({
      eligible: true,
    });
    expect(checkUpgradeEligibility({ grade: 'C', today: lastDay, applicationsThisYear: 2 })).toMatchObject({
      rule: 'already_applied_this_year',
    });
  });

  it('names the grade that may not apply', () => {
    expect(checkUpgradeEligibility({ grade: 'A', today, applicationsThisYear: 0 })).toMatchObject({
      reason: 'A级机构不能申请主动升级（仅B级、C级机构可申请）',
    });
    expect(checkUpgradeEligibility({ grade: null, today, applicationsThisYear: 0 })).toMatchObject({
      reason: expect.stringContaining('尚未取得公布的评级'),
    });
  });

  it('allows an application once a past ban has ended', () => {
    expect(
      checkUpgradeEligibility({ grade: 'B', today, applicationsThisYear: 0, banUntil: '2026-05-31' }),
    ).toEqual({ eligible: true });
  });

  it('reports the ban before the yearly limit', () => {
    expect(
      checkUpgradeEligibility({ grade: 'C', today, applicationsThisYear: 1, banUntil: '2027-01-01' }),
    ).toMatchObject({ rule: 'banned' });
  });
});

describe('countApplicationsInYear', () => {
  it('counts only the calendar year of today', () => {
    expect(countApplicationsInYear(['2025-12-31', '2026-01-01', '2026-11-30', '2027-01-01'], today)).toBe(2);
    expect(countApplicationsInYear([], today)).toBe(0);
  });

  it('counts an application of this year once, and none from the years around it', () => {
    // Once per calendar year (DOMAIN.md): one application this year among several of other years.
    expect(countApplicationsInYear(['2024-03-01', '2025-06-01', '2026-02-10', '2027-06-01'], today)).toBe(1);
    expect(countApplicationsInYear(['2025-06-01', '2027-06-01', '2028-01-01'], today)).toBe(0);
    expect(countApplicationsInYear(['2026-01-01', '2026-12-31', '2026-06-01'], today)).toBe(3);
  });
});

describe('upgradeBanEnd', () => {
  it('is two years after the finding', () => {
    expect(UPGRADE_BAN_YEARS).toBe(2);
    expect(upgradeBanEnd('2026-06-01')).toBe('2028-06-01');
    expect(upgradeBanEnd('2028-02-29')).toBe('2030-02-28');
  });
});
