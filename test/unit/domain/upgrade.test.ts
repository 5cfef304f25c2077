import { describe, expect, it } from 'vitest';
import { latestRules } from '#shared/domain/rules.ts';
import {
  canDecideUpgrade,
  checkUpgradeEligibility,
  countApplicationsInYear,
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
    expect(latestRules().upgrade.banYears).toBe(2);
    expect(upgradeBanEnd('2026-06-01')).toBe('2028-06-01');
    expect(upgradeBanEnd('2028-02-29')).toBe('2030-02-28');
  });
});

describe('canDecideUpgrade (a clinic’s upgrade follows the clinic path)', () => {
  const clinic = { kind: 'clinic' as const, district: '西湖区' };
  const hospital = { kind: 'hospital' as const, district: '西湖区' };
  const officer = (district: string) => ({ role: 'district', district });
  const ALLOWED = { allowed: true };

  it('lets only the clinic’s own district officer accept it, since accepting carries the district’s score', () => {
    expect(canDecideUpgrade(officer('西湖区'), clinic, 'accepted')).toEqual(ALLOWED);
    const refusal = {
      allowed: false,
      reason:
        "a clinic's upgrade is scored by its district (西湖区); the district officer accepts it with the new score, then the district health admin approves and the city re-checks",
    };
    expect(canDecideUpgrade({ role: 'city' }, clinic, 'accepted')).toEqual(refusal);
    expect(canDecideUpgrade(officer('上城区'), clinic, 'accepted')).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('只能处理本辖区的诊所'),
    });
    expect(canDecideUpgrade({ role: 'district_admin', district: '西湖区' }, clinic, 'accepted').allowed).toBe(
      false,
    );
  });

  it('lets the city or the clinic’s own district officer refuse it or find it untrue', () => {
    for (const outcome of ['refused', 'untrue'] as const) {
      expect(canDecideUpgrade({ role: 'city' }, clinic, outcome)).toEqual(ALLOWED);
      expect(canDecideUpgrade(officer('西湖区'), clinic, outcome)).toEqual(ALLOWED);
      expect(canDecideUpgrade(officer('上城区'), clinic, outcome)).toEqual({
        allowed: false,
        reason: 'a 上城区 officer may not act on a clinic in 西湖区 (只能处理本辖区的诊所)',
      });
      for (const role of ['guidance', 'district_admin'] as const) {
        expect(canDecideUpgrade({ role, district: '西湖区' }, clinic, outcome)).toMatchObject({
          allowed: false,
          reason: expect.stringMatching(/^only city or district may call .*, not /),
        });
      }
    }
  });

  it('lets only the city decide a hospital’s or outpatient department’s application, in every outcome', () => {
    const refusal = { allowed: false, reason: expect.any(String) };
    for (const outcome of ['accepted', 'refused', 'untrue'] as const) {
      expect(canDecideUpgrade({ role: 'city' }, hospital, outcome)).toEqual(ALLOWED);
      expect(canDecideUpgrade({ role: 'city' }, { kind: 'outpatient', district: '西湖区' }, outcome)).toEqual(
        ALLOWED,
      );
      expect(canDecideUpgrade(officer('西湖区'), hospital, outcome)).toEqual(refusal);
      expect(canDecideUpgrade({ role: 'institution' }, hospital, outcome)).toEqual(refusal);
    }
  });
});

describe('the once-a-year refusal in words', () => {
  it('says the year and how many applications a year allows', () => {
    const rules = latestRules();
    const check = (applicationsPerYear: number) =>
      checkUpgradeEligibility(
        { grade: 'B', today, applicationsThisYear: applicationsPerYear },
        { ...rules, upgrade: { ...rules.upgrade, applicationsPerYear } },
      );
    expect(check(1)).toMatchObject({ reason: '2026年已申请过主动升级，每个自然年度只能申请一次' });
    expect(check(2)).toMatchObject({ reason: '2026年已申请过主动升级，每个自然年度只能申请2次' });
  });
});

describe('canDecideUpgrade, refusing a role the table leaves out', () => {
  const clinic = { kind: 'clinic' as const, district: '西湖区' };

  it('names the operation the outcome calls: a decision, or the finding of an untrue self-assessment', () => {
    const guidance = { role: 'guidance' };
    for (const outcome of ['accepted', 'refused'] as const) {
      expect(canDecideUpgrade(guidance, clinic, outcome)).toEqual({
        allowed: false,
        reason: 'only city or district may call postV1AdminUpgradeApplicationsByIdDecision, not guidance',
      });
    }
    expect(canDecideUpgrade(guidance, clinic, 'untrue')).toEqual({
      allowed: false,
      reason: 'only city or district may call postV1AdminUpgradeApplicationsByIdUntrueFinding, not guidance',
    });
  });
});
