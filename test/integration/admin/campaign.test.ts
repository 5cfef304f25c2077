import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#shared/domain/dates.ts';
import {
  type AdminHarness,
  adminHarness,
  clinicApplyingForUpgrade,
  clinicIn,
  expectStatus,
  hospitalIn,
  publishedClinic,
  scoreResult,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

interface Entry {
  uscc: string;
  district: string;
  basis: string;
  stage: string;
  reviewDue: string | null;
}

/**
 * One table, one campaign year built through the API: a clinic never graded, two clinics published
 * this year (one of them then applying for an upgrade), a clinic of another district scored, a
 * hospital whose publicity is scheduled for a later day and a closed clinic.
 */
describe('the yearly campaign (GET /v1/admin/campaigns/{year})', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  const u: Record<'fresh' | 'published' | 'upgrading' | 'binjiang' | 'hospital' | 'closed', string> = {
    fresh: '',
    published: '',
    upgrading: '',
    binjiang: '',
    hospital: '',
    closed: '',
  };

  beforeAll(async () => {
    h = await adminHarness(dynamo);
    const city = await h.token('city');
    const xihu = await h.token('district', { district: '西湖区' });
    const binjiang = await h.token('district', { district: '滨江区' });

    u.published = (await publishedClinic(h, 88)).uscc;
    u.upgrading = await clinicApplyingForUpgrade(h, 86);

    const fresh = clinicIn('西湖区');
    u.fresh = fresh.uscc;
    await expectStatus(h.call('POST', '/v1/admin/institutions', xihu, fresh), 201);

    const closed = clinicIn('西湖区');
    u.closed = closed.uscc;
    await expectStatus(h.call('POST', '/v1/admin/institutions', xihu, closed), 201);
    await expectStatus(h.call('POST', `/v1/admin/institutions/${closed.uscc}/close`, xihu, {}), 200);

    const bj = clinicIn('滨江区');
    u.binjiang = bj.uscc;
    await expectStatus(h.call('POST', '/v1/admin/institutions', binjiang, bj), 201);
    const today = h.clock.today();
    await scoreResult(h, binjiang, bj.uscc, 80);

    const hospital = hospitalIn('西湖区');
    u.hospital = hospital.uscc;
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, hospital), 201);
    const scored = await scoreResult(h, city, hospital.uscc, 97);
    await expectStatus(
      h.call('POST', `/v1/admin/assessments/${scored.id}/publicity`, city, { startOn: addDays(today, 5) }),
      200,
    );
  });

  async function entries(token: string, query: string, year = 2026): Promise<Entry[]> {
    const all: Entry[] = [];
    let cursor: string | null = null;
    do {
      const q = `${query}${query ? '&' : ''}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await body(
        await expectStatus(h.call('GET', `/v1/admin/campaigns/${year}/institutions?${q}`, token), 200),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  const stageOf = (list: Entry[]) => Object.fromEntries(list.map((e) => [e.uscc, [e.basis, e.stage]]));

  it('covers the year’s new institutions and upgrade applications at the stage each has reached', async () => {
    const city = await h.token('city');
    const list = await entries(city, '');
    expect(stageOf(list)).toEqual({
      [u.fresh]: ['new', 'not_started'],
      [u.published]: ['new', 'published'],
      [u.upgrading]: ['upgrade', 'applied'],
      [u.binjiang]: ['new', 'scored'],
      [u.hospital]: ['new', 'publicity_scheduled'],
    });
    // District, then name order; every institution once across the pages.
    expect(list.map((e) => e.district)).toEqual([...list.map((e) => e.district)].sort());
    expect(new Set(list.map((e) => e.uscc)).size).toBe(list.length);
  });

  it('gives progress by district and in total', async () => {
    const city = await h.token('city');
    const summary = await body(await expectStatus(h.call('GET', '/v1/admin/campaigns/2026', city), 200));
    expect(summary).toMatchObject({ year: 2026, district: null });
    expect(summary.asOf).toMatch(/\+08:00$/);
    expect(summary.total).toMatchObject({ covered: 5, settled: 1, progress: 0.2 });
    expect(summary.total.byBasis).toEqual({ new: 4, review: 0, upgrade: 1 });
    const byDistrict = Object.fromEntries(
      summary.districts.map((d: { district: string; covered: number; settled: number }) => [
        d.district,
        [d.covered, d.settled],
      ]),
    );
    expect(byDistrict).toMatchObject({ 西湖区: [4, 1], 滨江区: [1, 0], 上城区: [0, 0] });
    expect(summary.districts).toHaveLength(13);
    const xihu = summary.districts.find((d: { district: string }) => d.district === '西湖区');
    expect(xihu.byStage).toMatchObject({ not_started: 1, published: 1, applied: 1, publicity_scheduled: 1 });
  });

  it('filters by stage and district', async () => {
    const guidance = await h.token('guidance');
    expect((await entries(guidance, 'stage=scored')).map((e) => e.uscc)).toEqual([u.binjiang]);
    expect((await entries(guidance, 'district=滨江区')).map((e) => e.uscc)).toEqual([u.binjiang]);
    expect(await entries(guidance, 'basis=review')).toEqual([]);
  });

  it('lists re-reviews falling due in a later year’s campaign', async () => {
    const city = await h.token('city');
    const later = stageOf(await entries(city, 'basis=review', 2029));
    expect(later).toEqual({
      [u.published]: ['review', 'not_started'],
      [u.upgrading]: ['review', 'not_started'],
    });
    const due = (await entries(city, 'basis=review', 2029)).map((e) => e.reviewDue);
    expect(due.every((d) => d?.startsWith('2029-'))).toBe(true);
  });

  it('shows a district role only the clinics of its own district', async () => {
    for (const role of ['district', 'district_admin'] as const) {
      const token = await h.token(role, { district: '西湖区' });
      const list = await entries(token, '');
      expect(list.map((e) => e.uscc).sort()).toEqual([u.fresh, u.published, u.upgrading].sort());
      const summary = await body(await expectStatus(h.call('GET', '/v1/admin/campaigns/2026', token), 200));
      expect(summary.district).toBe('西湖区');
      expect(summary.districts.map((d: { district: string }) => d.district)).toEqual(['西湖区']);
      expect(summary.total).toMatchObject({ covered: 3, settled: 1 });
      const other = await h.call('GET', '/v1/admin/campaigns/2026/institutions?district=滨江区', token);
      expect(other.status).toBe(403);
      expect((await body(other)).detail).toContain('滨江区');
      expect((await h.call('GET', '/v1/admin/campaigns/2026?district=滨江区', token)).status).toBe(403);
    }
  });

  it('refuses institutions, associations and the public', async () => {
    const inst = await h.token('institution', { uscc: u.fresh });
    const association = await h.token('association', { association: '中国整形美容协会' });
    for (const path of ['/v1/admin/campaigns/2026', '/v1/admin/campaigns/2026/institutions']) {
      expect((await h.call('GET', path, inst)).status).toBe(403);
      expect((await h.call('GET', path, association)).status).toBe(403);
      expect((await h.call('GET', path, null)).status).toBe(401);
    }
  });

  it('answers bad input with 400 naming the field', async () => {
    const city = await h.token('city');
    const cases: Array<[string, string]> = [
      ['/v1/admin/campaigns/1999', 'year'],
      ['/v1/admin/campaigns/20x6/institutions', 'year'],
      ['/v1/admin/campaigns/2026/institutions?stage=done', 'stage'],
      ['/v1/admin/campaigns/2026/institutions?district=火星区', 'district'],
      ['/v1/admin/campaigns/2026/institutions?limit=51', 'limit'],
      ['/v1/admin/campaigns/2026/institutions?cursor=abc.def', 'cursor'],
    ];
    for (const [path, field] of cases) {
      const res = await h.call('GET', path, city);
      expect(res.status, path).toBe(400);
      expect(JSON.stringify((await body(res)).errors), path).toContain(field);
    }
    // A cursor of one filter is refused with another.
    const first = await body(
      await expectStatus(h.call('GET', '/v1/admin/campaigns/2026/institutions?limit=1', city), 200),
    );
    const replayed = await h.call(
      'GET',
      `/v1/admin/campaigns/2026/institutions?limit=1&stage=scored&cursor=${encodeURIComponent(first.nextCursor)}`,
      city,
    );
    expect(replayed.status).toBe(400);
  });

  it('is documented in the OpenAPI document with Chinese summaries', async () => {
    const doc = await body(await h.app.request('/openapi.json'));
    for (const path of ['/v1/admin/campaigns/{year}', '/v1/admin/campaigns/{year}/institutions']) {
      const op = doc.paths[path]?.get;
      expect(op, path).toBeDefined();
      expect(op.tags).toEqual(['admin']);
      expect(op['x-summary-zh'], path).toContain('年度');
      expect(op.security).toEqual([{ bearer: [] }]);
    }
  });
});
