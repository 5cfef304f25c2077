import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '#shared/domain/errors.ts';
import { drawInspectionPlan } from '#shared/domain/inspection.ts';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import { districtNames } from '#shared/domain/rules.ts';
import type { Actor, Grade } from '#shared/domain/types.ts';
import { CITY_TRAIL } from '#shared/services/institutions.ts';
import {
  allProfiles,
  coverageReport,
  createInspectionPlan,
  verifyInspectionPlan,
  visibleInspectionPlan,
  watchList,
} from '#shared/services/supervision.ts';
import type { InspectionPlan } from '#shared/store/workflow.ts';
import { privateFixture, profileFixture, usccNo } from '../../support/institutions.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';

/**
 * The regulators' supervision views (DOMAIN.md "Credit supervision", "Targets"): the year's random
 * inspection plan (rates per grade, off-site exemptions for A/B/C only, re-drawable from its seed, never
 * announced), the watch list of D institutions with high-risk activity, and coverage per district.
 */

const NOW = '2026-11-23T10:00:00+08:00';
const city: Actor = { subject: 'city-officer', role: 'city' };
const guidance: Actor = { subject: 'guidance-member', role: 'guidance' };
const xihu: Actor = { subject: 'xihu-officer', role: 'district', district: '西湖区' };
const institution: Actor = { subject: 'clinic', role: 'institution', uscc: usccNo(1) };

/** Open graded clinics of 西湖区 numbered from `from`, `count` of each grade given. */
function clinics(from: number, grades: Grade[], overrides: Partial<InstitutionProfile> = {}) {
  return grades.map((grade, i) => profileFixture(from + i, { grade, ...overrides }));
}

/** Twenty open graded institutions of every kind and two districts, plus a closed and an ungraded one. */
function register(): InstitutionProfile[] {
  const grades: Grade[] = ['A', 'B', 'C', 'D'];
  return [
    ...clinics(
      1,
      Array.from({ length: 12 }, (_, i) => grades[i % 4] as Grade),
    ),
    ...clinics(13, ['A', 'B', 'D', 'D'], { district: '滨江区' }),
    ...clinics(17, ['B', 'D'], { kind: 'hospital' }),
    ...clinics(19, ['C', 'D'], { kind: 'outpatient', district: '滨江区' }),
    profileFixture(21, { grade: 'D', closed: true, closedOn: '2026-01-01' }),
    profileFixture(22, { grade: null, score: null }),
  ];
}

describe('allProfiles', () => {
  it('reads every institution of every kind, page after page', async () => {
    const m = memoryWorkflow({ profiles: register() });
    const all = await allProfiles(m.deps);
    expect(all.map((p) => p.uscc).sort()).toEqual(
      register()
        .map((p) => p.uscc)
        .sort(),
    );
    expect(all.find((p) => p.uscc === usccNo(17))).toEqual(
      profileFixture(17, { grade: 'B', kind: 'hospital' }),
    );
  });
});

describe('createInspectionPlan', () => {
  const open = register().filter((p) => !p.closed && p.grade !== null);
  const population = open
    .map((p) => ({ uscc: p.uscc, grade: p.grade as Grade }))
    .sort((a, b) => (a.uscc < b.uscc ? -1 : 1));

  it('draws each grade at the default rates from the open graded institutions, as anyone can re-draw it', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    const plan = await createInspectionPlan(m.deps, city, { year: 2027, seed: 'lottery-2027-01' });
    const rates = { A: 0.15, B: 0.25, C: 0.35, D: 0.5 };
    expect(plan).toEqual({
      year: 2027,
      seed: 'lottery-2027-01',
      rates,
      excludeOffSite: false,
      population,
      excluded: [],
      entries: drawInspectionPlan({
        year: 2027,
        seed: 'lottery-2027-01',
        institutions: population,
        exclude: [],
        rates,
      }),
      createdAt: '2026-11-23T10:00:00.000+08:00',
      createdBy: city,
    });
    expect(plan.entries.map((e) => [e.grade, e.population, e.size])).toEqual([
      ['A', 4, 0],
      ['B', 5, 1],
      ['C', 4, 1],
      ['D', 7, 4],
    ]);
    expect(m.plans.get(2027)).toEqual(plan);
  });

  it('takes the rates it is given and the defaults for the grades it is not', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    const plan = await createInspectionPlan(m.deps, city, {
      year: 2027,
      seed: 's',
      rates: { B: 0.2, D: 0.8 },
    });
    expect(plan.rates).toEqual({ A: 0.15, B: 0.2, C: 0.35, D: 0.8 });
    expect(plan.entries.map((e) => e.size)).toEqual([0, 1, 1, 6]);
  });

  it('refuses a rate outside its grade’s bounds with 422, drawing and storing nothing', async () => {
    for (const rates of [{ A: 0.2 }, { C: 0.36 }, { D: 0.4 }]) {
      const m = memoryWorkflow({ now: NOW, profiles: register() });
      const create = createInspectionPlan(m.deps, city, { year: 2027, seed: 's', rates });
      await expect(create).rejects.toThrow(RuleViolationError);
      expect(m.plans.size).toBe(0);
      expect(m.audit).toEqual([]);
      expect(m.calls.get('reader.listKind')).toBeUndefined();
    }
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    await expect(
      createInspectionPlan(m.deps, city, { year: 2027, seed: 's', rates: { B: 0.3 } }),
    ).rejects.toThrow('the inspection rate for grade B must be at most 25% and within 0–100%, got 0.3');
  });

  it('exempts off-site supervised A, B and C institutions when asked, never a D one, listed in uscc order', async () => {
    const offSite = [usccNo(1), usccNo(2), usccNo(3), usccNo(4), usccNo(17), usccNo(22)];
    const m = memoryWorkflow({
      now: NOW,
      profiles: register(),
      privates: [
        ...offSite.map((u, i) => privateFixture(i + 1, { uscc: u, offSiteSupervised: true })),
        privateFixture(5, { offSiteSupervised: false }),
      ],
    });
    const plan = await createInspectionPlan(m.deps, city, { year: 2027, seed: 's', excludeOffSite: true });
    // 1 A, 2 B, 3 C and the hospital 17 B are off-site; 4 is a D, 22 is ungraded (not drawn at all).
    expect(usccNo(1) < usccNo(17) && usccNo(3) < usccNo(17)).toBe(true);
    expect(plan.excluded).toEqual([usccNo(1), usccNo(2), usccNo(3), usccNo(17)]);
    expect(plan.excludeOffSite).toBe(true);
    expect(plan.population).toEqual(population);
    expect(plan.entries.map((e) => [e.grade, e.population])).toEqual([
      ['A', 3],
      ['B', 3],
      ['C', 3],
      ['D', 7],
    ]);
    expect(plan.entries.flatMap((e) => e.drawn)).not.toContain(usccNo(1));
  });

  it('exempts no one unless asked, whatever the off-site flags', async () => {
    const m = memoryWorkflow({
      now: NOW,
      profiles: register(),
      privates: [privateFixture(1, { offSiteSupervised: true })],
    });
    const plan = await createInspectionPlan(m.deps, city, { year: 2027, seed: 's', excludeOffSite: false });
    expect(plan.excluded).toEqual([]);
    expect(plan.excludeOffSite).toBe(false);
    expect(m.calls.get('workflow.getPrivates')).toBeUndefined();
  });

  it('audits the plan on the city-wide trail and notifies no one', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    const plan = await createInspectionPlan(m.deps, city, { year: 2027, seed: 'lottery-2027-01' });
    expect(m.audit).toEqual([
      {
        id: 'inspection-plan:2027',
        uscc: CITY_TRAIL,
        at: '2026-11-23T10:00:00.000+08:00',
        actor: city,
        action: 'inspection_plan.create',
        before: null,
        after: {
          year: 2027,
          seed: 'lottery-2027-01',
          rates: plan.rates,
          sizes: [
            ['A', 0],
            ['B', 1],
            ['C', 1],
            ['D', 4],
          ],
        },
      },
    ]);
    // The fake has no notifier: a notice would have failed the call.
    expect(m.events).toEqual([]);
  });

  it('answers a second plan for the same year 409, keeping the first', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    const first = await createInspectionPlan(m.deps, city, { year: 2027, seed: 'first' });
    const second = createInspectionPlan(m.deps, city, { year: 2027, seed: 'second' });
    await expect(second).rejects.toThrow(ConflictError);
    await expect(createInspectionPlan(m.deps, city, { year: 2027, seed: 'second' })).rejects.toThrow(
      'the inspection plan for 2027 exists',
    );
    expect(m.plans.get(2027)).toEqual(first);
    expect(m.calls.get('workflow.createPlan')).toBe(1);
    expect(m.audit).toHaveLength(1);
  });

  it('is the city’s alone', async () => {
    for (const actor of [xihu, guidance, institution]) {
      const m = memoryWorkflow({ now: NOW, profiles: register() });
      await expect(createInspectionPlan(m.deps, actor, { year: 2027, seed: 's' })).rejects.toThrow(
        ForbiddenError,
      );
      expect(m.plans.size).toBe(0);
    }
  });
});

describe('visibleInspectionPlan', () => {
  async function planned() {
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    const plan = await createInspectionPlan(m.deps, city, {
      year: 2027,
      seed: 'lottery-2027-01',
      rates: { A: 0.15, B: 0.25, C: 0.35, D: 1 },
    });
    return { m, plan };
  }

  it('shows the city and the guidance group the whole plan', async () => {
    const { m, plan } = await planned();
    expect(await visibleInspectionPlan(m.deps, city, 2027)).toEqual(plan);
    expect(await visibleInspectionPlan(m.deps, guidance, 2027)).toEqual(plan);
  });

  it('shows a district only its own clinics’ part, without the seed', async () => {
    const { m, plan } = await planned();
    const part = await visibleInspectionPlan(m.deps, xihu, 2027);
    const own = new Set(
      register()
        .filter((p) => p.kind === 'clinic' && p.district === '西湖区')
        .map((p) => p.uscc),
    );
    const d = plan.entries.find((e) => e.grade === 'D');
    expect(part).toEqual({
      year: 2027,
      district: '西湖区',
      createdAt: '2026-11-23T10:00:00.000+08:00',
      entries: plan.entries.map((e) => {
        const drawn = e.drawn.filter((u) => own.has(u));
        return { grade: e.grade, rate: e.rate, population: 3, size: drawn.length, drawn };
      }),
    });
    // Every D is drawn at rate 1: the district sees its three D clinics, not the city's hospital or 滨江区's.
    expect(d?.drawn).toHaveLength(7);
    expect(part.entries[3]?.drawn).toEqual([usccNo(4), usccNo(8), usccNo(12)]);
    expect(part).not.toHaveProperty('seed');
    expect(part).not.toHaveProperty('population');
  });

  it('is 404 for a year without a plan, and refused to a role outside the regulators', async () => {
    const { m } = await planned();
    await expect(visibleInspectionPlan(m.deps, city, 2028)).rejects.toThrow(NotFoundError);
    await expect(visibleInspectionPlan(m.deps, xihu, 2028)).rejects.toThrow('no inspection plan for 2028');
    await expect(visibleInspectionPlan(m.deps, institution, 2027)).rejects.toThrow(ForbiddenError);
  });
});

describe('verifyInspectionPlan', () => {
  const stored = (): InspectionPlan => {
    const population = [
      { uscc: usccNo(1), grade: 'A' as const },
      { uscc: usccNo(2), grade: 'D' as const },
      { uscc: usccNo(3), grade: 'D' as const },
      { uscc: usccNo(4), grade: 'D' as const },
      { uscc: usccNo(5), grade: 'C' as const },
    ];
    const rates = { A: 0.1, B: 0.25, C: 0.35, D: 0.6 };
    const input = { year: 2027, seed: 'check', institutions: population, exclude: [usccNo(2)], rates };
    return {
      year: 2027,
      seed: 'check',
      rates,
      excludeOffSite: true,
      population,
      excluded: [usccNo(2)],
      entries: drawInspectionPlan(input),
      createdAt: '2026-11-23T10:00:00.000+08:00',
      createdBy: city,
    };
  };

  it('re-draws the plan from its own seed, population, exclusions and rates and finds it the same', async () => {
    const plan = stored();
    const m = memoryWorkflow({ plans: [plan] });
    expect(await verifyInspectionPlan(m.deps, guidance, 2027)).toEqual({
      year: 2027,
      seed: 'check',
      matches: true,
      redrawn: plan.entries,
    });
    expect(plan.entries.find((e) => e.grade === 'D')).toMatchObject({ population: 2, size: 2 });
  });

  it('says when the stored draw is not what the seed gives', async () => {
    const plan = stored();
    const tampered = { ...plan, entries: plan.entries.map((e) => ({ ...e, drawn: [...e.drawn].reverse() })) };
    const m = memoryWorkflow({ plans: [tampered] });
    const check = await verifyInspectionPlan(m.deps, city, 2027);
    expect(check.matches).toBe(false);
    expect(check.redrawn).toEqual(plan.entries);
  });

  it('is 404 for a year without a plan, and not for a district, which sees only its own part', async () => {
    const m = memoryWorkflow({ plans: [stored()] });
    await expect(verifyInspectionPlan(m.deps, city, 2026)).rejects.toThrow('no inspection plan for 2026');
    await expect(verifyInspectionPlan(m.deps, xihu, 2027)).rejects.toThrow(ForbiddenError);
    expect(m.calls.get('workflow.getPlan')).toBe(1);
  });
});

describe('watchList', () => {
  const risky = { generalAnesthesia: false, liposuction: true, prepaidNonCompliant: false };
  const seeded = () =>
    memoryWorkflow({
      profiles: register(),
      privates: [
        privateFixture(4, {
          services: { generalAnesthesia: true, liposuction: true, prepaidNonCompliant: true },
        }),
        privateFixture(8, { services: {} }),
        // 12 has no private item.
        privateFixture(15, { services: risky }),
        privateFixture(16, { services: { prepaidNonCompliant: true } }),
        privateFixture(18, { services: { generalAnesthesia: true } }),
        privateFixture(21, { services: risky }),
        privateFixture(3, { services: risky }),
      ],
    });

  it('lists the open D institutions with high-risk activity and why, for the city', async () => {
    // In name order, as the grade index holds them.
    expect(await watchList(seeded().deps, city)).toEqual([
      {
        uscc: usccNo(15),
        name: '测试15医疗美容诊所',
        kind: 'clinic',
        district: '滨江区',
        grade: 'D',
        reasons: ['抽脂手术'],
      },
      {
        uscc: usccNo(16),
        name: '测试16医疗美容诊所',
        kind: 'clinic',
        district: '滨江区',
        grade: 'D',
        reasons: ['未按规范开展预付式消费'],
      },
      {
        uscc: usccNo(18),
        name: '测试18医疗美容诊所',
        kind: 'hospital',
        district: '西湖区',
        grade: 'D',
        reasons: ['全麻手术'],
      },
      {
        uscc: usccNo(4),
        name: '测试4医疗美容诊所',
        kind: 'clinic',
        district: '西湖区',
        grade: 'D',
        reasons: ['全麻手术', '抽脂手术', '未按规范开展预付式消费'],
      },
    ]);
  });

  it('shows a district only its own clinics on it', async () => {
    expect((await watchList(seeded().deps, xihu)).map((e) => e.uscc)).toEqual([usccNo(4)]);
    const binjiang: Actor = { subject: 'b', role: 'district_admin', district: '滨江区' };
    expect((await watchList(seeded().deps, binjiang)).map((e) => e.uscc)).toEqual([usccNo(15), usccNo(16)]);
  });

  it('is refused to a role outside the regulators', async () => {
    await expect(watchList(seeded().deps, institution)).rejects.toThrow(ForbiddenError);
  });
});

describe('coverageReport', () => {
  it('counts the open institutions and those with a published grade in every district of the city', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    const report = await coverageReport(m.deps, guidance);
    expect(report.asOf).toBe('2026-11-23');
    expect(report.districts.map((r) => r.district)).toEqual(districtNames());
    expect(report.districts.find((r) => r.district === '西湖区')).toEqual({
      district: '西湖区',
      inScope: 15,
      published: 14,
      coverage: 0.9333,
    });
    expect(report.districts.find((r) => r.district === '滨江区')).toEqual({
      district: '滨江区',
      inScope: 6,
      published: 6,
      coverage: 1,
    });
    expect(report.districts.find((r) => r.district === '上城区')).toEqual({
      district: '上城区',
      inScope: 0,
      published: 0,
      coverage: 0,
    });
    expect(report.summary).toEqual({ inScope: 21, published: 20, coverage: 0.9524 });
  });

  it('gives a district its own row and sums only that', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: register() });
    const report = await coverageReport(m.deps, xihu);
    expect(report.districts).toEqual([{ district: '西湖区', inScope: 15, published: 14, coverage: 0.9333 }]);
    expect(report.summary).toEqual({ inScope: 15, published: 14, coverage: 0.9333 });
  });

  it('rounds a share to four decimals and is 0 with nothing in scope', async () => {
    const thirds = memoryWorkflow({
      profiles: [profileFixture(1), profileFixture(2, { grade: null }), profileFixture(3, { grade: null })],
    });
    expect((await coverageReport(thirds.deps, city)).summary).toEqual({
      inScope: 3,
      published: 1,
      coverage: 0.3333,
    });
    const twoThirds = memoryWorkflow({
      profiles: [profileFixture(1), profileFixture(2), profileFixture(3, { grade: null })],
    });
    expect((await coverageReport(twoThirds.deps, city)).summary.coverage).toBe(0.6667);
    expect((await coverageReport(memoryWorkflow().deps, city)).summary).toEqual({
      inScope: 0,
      published: 0,
      coverage: 0,
    });
  });

  it('leaves out an institution of a district the city does not have', async () => {
    const m = memoryWorkflow({
      profiles: [profileFixture(1), profileFixture(2, { district: '海曙区' as never })],
    });
    const report = await coverageReport(m.deps, city);
    expect(report.summary).toEqual({ inScope: 1, published: 1, coverage: 1 });
    expect(report.districts.map((r) => r.district)).not.toContain('海曙区');
  });

  it('is refused to a role outside the regulators', async () => {
    await expect(coverageReport(memoryWorkflow().deps, institution)).rejects.toThrow(ForbiddenError);
  });
});
