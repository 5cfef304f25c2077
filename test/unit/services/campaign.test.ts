import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import type { CampaignInstitution, CampaignResult } from '#shared/domain/campaign.ts';
import { ForbiddenError } from '#shared/domain/errors.ts';
import { districtNames } from '#shared/domain/rules.ts';
import type { Actor } from '#shared/domain/types.ts';
import { type CampaignDeps, campaignInstitutions, campaignSummary } from '#shared/services/campaign.ts';
import type { UpgradeApplication } from '#shared/store/workflow.ts';
import { usccNo } from '../../support/institutions.ts';

/**
 * The yearly campaign as each regulator sees it (DOMAIN.md "Dynamic management": one campaign a year,
 * the institutions it covers with their stage and progress by district; API.md: a district role acts
 * only on the clinics of its own district): over a register, results and applications held in memory.
 */

const city: Actor = { subject: 'city-officer', role: 'city' };
const guidance: Actor = { subject: 'guidance-member', role: 'guidance' };
const xihu: Actor = { subject: 'xihu-officer', role: 'district', district: '西湖区' };

let n = 0;
function institution(district: string, overrides: Partial<CampaignInstitution> = {}): CampaignInstitution {
  n++;
  return {
    uscc: usccNo(500 + n),
    name: `测试${n}医疗美容诊所`,
    kind: 'clinic',
    district,
    grade: null,
    publishedOn: null,
    nextReviewDue: null,
    closed: false,
    registeredOn: '2026-01-05',
    sortName: `ceshi${String(n).padStart(3, '0')}`,
    ...overrides,
  };
}

function result(inst: CampaignInstitution, overrides: Partial<CampaignResult> = {}): CampaignResult {
  return {
    id: `r-${inst.uscc}`,
    uscc: inst.uscc,
    reason: 'initial',
    status: 'scored',
    assessedOn: '2026-11-02',
    createdAt: '2026-11-02T09:00:00.000+08:00',
    grade: 'B',
    publicity: null,
    openObjections: 0,
    ...overrides,
  };
}

/** An upgrade application as the campaign reads it (the rest of the stored item plays no part). */
function application(
  inst: CampaignInstitution,
  overrides: Partial<UpgradeApplication> = {},
): UpgradeApplication {
  const read = {
    id: `a-${inst.uscc}`,
    uscc: inst.uscc,
    year: 2026,
    submittedOn: '2026-11-10',
    status: 'pending',
  };
  return { ...read, assessmentId: null, ...overrides } as UpgradeApplication;
}

/** The campaign's stores in memory; `calls` records the district each results query was narrowed to. */
function memoryCampaign(
  institutions: CampaignInstitution[],
  results: Array<CampaignResult & { district?: string }> = [],
  applications: Array<UpgradeApplication & { submittedAt?: string }> = [],
) {
  const districtOf = new Map(institutions.map((i) => [i.uscc, i.district]));
  const calls: Array<[number, string | undefined]> = [];
  const deps = {
    clock: fixedClock('2026-11-23T10:00:00+08:00'),
    register: { current: async () => ({ rows: () => institutions.values() }) },
    results: {
      listForCampaign: async (year: number, district?: string) => {
        calls.push([year, district]);
        return results.filter(
          (r) => r.assessedOn.startsWith(String(year)) && (!district || districtOf.get(r.uscc) === district),
        );
      },
    },
    workflow: { listApplicationsOfYear: async (year: number) => applications.filter((a) => a.year === year) },
  } as unknown as CampaignDeps;
  return { deps, calls };
}

describe('the campaign summary', () => {
  const fresh = institution('西湖区');
  const scored = institution('西湖区');
  const binjiang = institution('滨江区');
  const { deps, calls } = memoryCampaign([fresh, scored, binjiang], [result(scored), result(binjiang)]);

  it('gives the city every district in rulebook order, the totals and the instant it was taken', async () => {
    const summary = await campaignSummary(deps, city, 2026);
    expect(summary).toMatchObject({ year: 2026, asOf: '2026-11-23T10:00:00.000+08:00', district: null });
    expect(summary.total).toMatchObject({
      covered: 3,
      settled: 0,
      byBasis: { new: 3, review: 0, upgrade: 0 },
    });
    expect(summary.districts.map((d) => d.district)).toEqual(districtNames());
    expect(summary.districts.find((d) => d.district === '滨江区')).toMatchObject({ covered: 1 });
  });

  it('narrows to the district the city asks for, reading that district’s results of the year and the year before', async () => {
    calls.length = 0;
    const summary = await campaignSummary(deps, city, 2026, '滨江区');
    expect(summary.district).toBe('滨江区');
    expect(summary.total).toMatchObject({ covered: 1, byStage: { scored: 1 } });
    expect(summary.districts.map((d) => d.district)).toEqual(['滨江区']);
    expect(calls.sort()).toEqual([
      [2025, '滨江区'],
      [2026, '滨江区'],
    ]);
  });

  it('gives a district officer its own district, asked for or not, and refuses another one by name', async () => {
    expect((await campaignSummary(deps, xihu, 2026)).district).toBe('西湖区');
    expect((await campaignSummary(deps, xihu, 2026, '西湖区')).total.covered).toBe(2);
    const refused = campaignSummary(deps, xihu, 2026, '滨江区');
    await expect(refused).rejects.toThrow(ForbiddenError);
    await expect(refused).rejects.toThrow(
      'a 西湖区 officer sees only the campaign of 西湖区, not 滨江区 (只能查看本辖区)',
    );
  });

  it('refuses an institution', async () => {
    const own: Actor = { subject: 'inst', role: 'institution', uscc: fresh.uscc };
    await expect(campaignSummary(deps, own, 2026)).rejects.toThrow(ForbiddenError);
  });
});

describe('what a campaign covers', () => {
  it('shows a district officer only the clinics its district scores, not a hospital of its district', async () => {
    const clinic = institution('西湖区');
    const hospital = institution('西湖区', { kind: 'hospital' });
    const { deps } = memoryCampaign([clinic, hospital]);
    const page = await campaignInstitutions(deps, xihu, 2026, { limit: 50, after: null });
    expect(page.items.map((e) => e.uscc)).toEqual([clinic.uscc]);
    const all = await campaignInstitutions(deps, guidance, 2026, { limit: 50, after: null });
    expect(all.items.map((e) => e.uscc).sort()).toEqual([clinic.uscc, hospital.uscc].sort());
  });

  it('carries over a result of the year before still in publicity', async () => {
    const inst = institution('西湖区');
    const lastYear = result(inst, {
      status: 'in_publicity',
      assessedOn: '2025-12-20',
      createdAt: '2025-12-20T09:00:00.000+08:00',
      publicity: { startOn: '2025-12-22', endOn: '2025-12-26' },
    });
    const { deps } = memoryCampaign([inst], [lastYear]);
    const page = await campaignInstitutions(deps, city, 2026, { limit: 50, after: null });
    expect(page.items).toMatchObject([{ uscc: inst.uscc, resultId: lastYear.id, stage: 'publicity_ended' }]);
  });

  describe('an upgrade application against a result of the same institution', () => {
    const scoredAt = '2026-11-10T09:00:00.000+08:00';

    it('speaks for it when submitted after the result, by the instant it was submitted', async () => {
      const inst = institution('西湖区', {
        grade: 'B',
        publishedOn: '2025-03-01',
        nextReviewDue: '2028-03-01',
      });
      const later = { ...application(inst), submittedAt: '2026-11-10T15:00:00.000+08:00' };
      const { deps } = memoryCampaign([inst], [result(inst, { createdAt: scoredAt })], [later]);
      const page = await campaignInstitutions(deps, city, 2026, { limit: 50, after: null });
      expect(page.items).toMatchObject([{ basis: 'upgrade', stage: 'applied', applicationId: later.id }]);
    });

    it('one stored without its instant counts from the start of the day it was submitted', async () => {
      const inst = institution('西湖区', {
        grade: 'B',
        publishedOn: '2025-03-01',
        nextReviewDue: '2028-03-01',
      });
      const sameDay = application(inst, { submittedOn: '2026-11-10' });
      const dayAfter = application(inst, { submittedOn: '2026-11-11' });
      const before = memoryCampaign([inst], [result(inst, { createdAt: scoredAt })], [sameDay]);
      expect(
        (await campaignInstitutions(before.deps, city, 2026, { limit: 50, after: null })).items,
      ).toMatchObject([{ basis: 'new', stage: 'scored', applicationId: null }]);
      const after = memoryCampaign([inst], [result(inst, { createdAt: scoredAt })], [dayAfter]);
      expect(
        (await campaignInstitutions(after.deps, city, 2026, { limit: 50, after: null })).items,
      ).toMatchObject([{ basis: 'upgrade', stage: 'applied', applicationId: dayAfter.id }]);
    });
  });
});

describe('the list of covered institutions', () => {
  const insts = ['西湖区', '西湖区', '西湖区', '滨江区'].map((d) => institution(d));
  const [a, b, c, d] = insts as [
    CampaignInstitution,
    CampaignInstitution,
    CampaignInstitution,
    CampaignInstitution,
  ];
  const withApplication = institution('西湖区', {
    grade: 'B',
    publishedOn: '2025-03-01',
    nextReviewDue: '2028-03-01',
  });
  const { deps } = memoryCampaign(
    [...insts, withApplication],
    [result(b), result(d, { status: 'published' })],
    [{ ...application(withApplication), submittedAt: '2026-11-10T15:00:00.000+08:00' }],
  );
  const list = (query: Partial<Parameters<typeof campaignInstitutions>[3]>) =>
    campaignInstitutions(deps, city, 2026, { limit: 50, after: null, ...query });

  it('keeps the entries matching the stage and the basis asked for', async () => {
    expect((await list({ stage: 'scored' })).items.map((e) => e.uscc)).toEqual([b.uscc]);
    expect((await list({ stage: 'published' })).items.map((e) => e.uscc)).toEqual([d.uscc]);
    expect((await list({ basis: 'upgrade' })).items.map((e) => e.uscc)).toEqual([withApplication.uscc]);
    expect((await list({ basis: 'new', stage: 'not_started' })).items.map((e) => e.uscc).sort()).toEqual(
      [a.uscc, c.uscc].sort(),
    );
    expect((await list({ basis: 'review' })).items).toEqual([]);
  });

  it('pages in district and name order, each entry once, with no sort key shown and no cursor after the last page', async () => {
    const whole = (await list({})).items;
    expect(whole).toHaveLength(5);
    expect(whole[0]).not.toHaveProperty('sortKey');
    for (const [limit, pages] of [
      [2, 3],
      [3, 2],
    ] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      let count = 0;
      do {
        const page = await list({ limit, after });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((e) => e.uscc));
        after = page.after;
        count++;
      } while (after);
      expect(count, `pages of ${limit}`).toBe(pages);
      expect(seen, `pages of ${limit}`).toEqual(whole.map((e) => e.uscc));
    }
  });

  it('gives no cursor when the page holds exactly what is left', async () => {
    expect((await list({ limit: 5 })).after).toBeNull();
    const four = await list({ limit: 4 });
    expect(four.items).toHaveLength(4);
    expect(four.after).not.toBeNull();
    expect((await list({ limit: 1, after: four.after })).after).toBeNull();
  });
});
