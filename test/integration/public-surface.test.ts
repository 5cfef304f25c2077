import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPublicDeps, calendarFrom } from '#shared/bootstrap.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { createPublicApp } from '#shared/http/app.ts';
import { CACHE_POLICIES, type CachePolicy } from '#shared/http/cache.ts';
import { MAX_QUERIES, type SearchTrace, searchInstitutions } from '#shared/http/public/search.ts';
import { buildDemoData, type DemoData, loadDemoData } from '#shared/local/demo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { RegisterIndexSource } from '#shared/store/register-index.ts';
import { RegisterRows } from '#shared/store/register-rows.ts';
import { testConfig } from '../support/config.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

describe('the public surface against dynalite', () => {
  const dynamo = useTestDynamo();
  let table: string;
  let app: ReturnType<typeof createPublicApp>;
  let data: DemoData;
  const config = () => testConfig({ TABLE_NAME: table });

  beforeAll(async () => {
    table = await dynamo.freshTable();
    const deps = buildPublicDeps(config(), dynamo.db);
    data = buildDemoData({ count: 90, today: deps.clock.today(), calendar: calendarFrom(testConfig()) });
    // Two more closed institutions beside the demo's own: out of the coverage scope, still findable.
    for (const p of data.profiles.slice(0, 2)) Object.assign(p, { closed: true, closedOn: '2026-06-30' });
    await loadDemoData(dynamo.db, table, data);
    app = createPublicApp(deps);
  });

  it('counts grades per district and coverage over the institutions in scope', async () => {
    const res = await app.request('/v1/stats');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('max-age');
    const stats = await body(res);
    const open = data.profiles.filter((p) => !p.closed);
    const graded = open.filter((p) => p.grade !== null).length;
    expect(stats.target).toEqual({ year: 2026, coverage: 1 });
    expect(stats.asOf).toMatch(/\+08:00$/);
    expect(stats.total).toMatchObject({
      institutions: open.length,
      A: open.filter((p) => p.grade === 'A').length,
      D: open.filter((p) => p.grade === 'D').length,
      ungraded: open.length - graded,
      closed: data.profiles.length - open.length,
    });
    expect(data.profiles.length - open.length).toBeGreaterThan(2);
    expect(stats.total.coverage).toBeCloseTo(graded / open.length, 4);
    expect(stats.districts).toHaveLength(13);
    const xihu = stats.districts.find((d: { district: string }) => d.district === '西湖区');
    expect(xihu.institutions).toBe(open.filter((p) => p.district === '西湖区').length);
    const sum = stats.districts.reduce((n: number, d: { institutions: number }) => n + d.institutions, 0);
    expect(sum).toBe(open.length);
  });

  it("serves a QR code of the institution's page as cached SVG", async () => {
    const p = data.profiles[4]!;
    const res = await app.request(`/v1/institutions/${p.uscc}/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await res.text();
    const expected = await QRCode.toString(`https://credit.example.test/i/${p.uscc}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    expect(svg).toBe(expected);
    const again = await app.request(`/v1/institutions/${p.uscc}/qr.svg`, {
      headers: { 'If-None-Match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await app.request('/v1/institutions/91330106MA2CFXKQ1O/qr.svg')).status).toBe(400);
    expect((await app.request(`/v1/institutions/${makeUscc('91330106AAAAAAAAA')}/qr.svg`)).status).toBe(404);
  });

  it('shows a closed institution as closed in the list and on its page', async () => {
    const closed = data.profiles[0]!;
    const list = await body(await app.request(`/v1/institutions?q=${closed.uscc}`));
    expect(list.items[0]).toMatchObject({ uscc: closed.uscc, closed: true });
    const page = await (await app.request(`/i/${closed.uscc}`)).text();
    expect(page).toContain('该机构已注销/停业</strong>（2026年');
    expect(page).not.toMatch(/class="badge g-[ABCD]/);
  });

  it('documents every public route in /openapi.json and renders it at /docs without external assets', async () => {
    const doc = await body(await app.request('/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/institutions',
        '/v1/institutions/{uscc}',
        '/v1/institutions/{uscc}/qr.svg',
        '/v1/stats',
        '/v1/publicity',
        '/v1/changes',
        '/v1/changes.atom',
        '/v1/export/grades.csv',
      ]),
    );
    const names = doc.paths['/v1/institutions'].get.parameters.map((p: { name: string }) => p.name);
    expect(names.sort()).toEqual([
      'cursor',
      'district',
      'grade',
      'kind',
      'limit',
      'near',
      'procedure',
      'q',
      'radius',
    ]);
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    const html = await res.text();
    expect(html).toContain('GET /v1/institutions/{uscc}/qr.svg');
    expect(html).toContain('InstitutionSummary');
    expect(html).not.toMatch(/<script|https?:\/\/(?!credit\.example\.test|yimei-credit)/);
  });

  it('sends Cache-Control and an ETag on every public answer and 304 when it is unchanged', async () => {
    const p = data.profiles[3]!;
    const paths = ['/', '/stats', '/docs', '/openapi.json', '/v1/stats', '/v1/institutions?district=西湖区'];
    paths.push(`/i/${p.uscc}`, `/v1/institutions/${p.uscc}`, `/v1/institutions/${p.uscc}/qr.svg`);
    for (const path of paths) {
      const res = await app.request(encodeURI(path));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toMatch(/^public, max-age=\d+/);
      const etag = res.headers.get('etag');
      expect(etag, path).toBeTruthy();
      const again = await app.request(encodeURI(path), { headers: { 'If-None-Match': etag! } });
      expect(again.status, path).toBe(304);
    }
  });

  it('lets CloudFront keep each public GET for its own time and serve it stale while it revalidates', async () => {
    const p = data.profiles[3]!;
    const expected: [string, CachePolicy][] = [
      [`/v1/institutions/${p.uscc}`, CACHE_POLICIES.detail],
      [`/v1/institutions/${p.uscc}/qr.svg`, CACHE_POLICIES.detail],
      ['/v1/institutions?district=西湖区', CACHE_POLICIES.search],
      ['/v1/publicity', CACHE_POLICIES.publicity],
      ['/v1/stats', CACHE_POLICIES.stats],
      ['/openapi.json', CACHE_POLICIES.docs],
    ];
    for (const [path, policy] of expected) {
      const res = await app.request(encodeURI(path));
      expect(res.status, path).toBe(200);
      const header = res.headers.get('cache-control') ?? '';
      expect(header, path).toContain(`s-maxage=${policy.sMaxAge}`);
      expect(header, path).toContain(`stale-while-revalidate=${policy.staleWhileRevalidate}`);
    }
    expect(CACHE_POLICIES.search.sMaxAge).not.toBe(CACHE_POLICIES.detail.sMaxAge);
  });

  it('never serialises contact details, watch-list status or random-inspection data', async () => {
    const paths = ['/', '/stats', '/docs', '/openapi.json', '/v1/stats', '/v1/institutions?limit=50'];
    for (const q of ['医', 'yi', 'xh']) paths.push(`/v1/institutions?q=${encodeURIComponent(q)}&limit=50`);
    for (const p of data.profiles) {
      paths.push(`/v1/institutions/${p.uscc}`, `/i/${p.uscc}`, `/?q=${p.uscc}`);
    }
    const secrets = data.privates.flatMap((p) => [...p.contacts.phones, ...p.contacts.wechatOpenIds]);
    expect(secrets.length).toBeGreaterThan(data.profiles.length);
    const forbidden =
      /generalAnesthesia|liposuction|prepaid|watch.?list|inspection|upgradeBan|offSiteSupervised|contacts|phones|wechat|openid|重点关注|双随机|抽查|全麻|抽脂|预付/i;
    for (const path of paths) {
      const text = await (await app.request(path)).text();
      expect(text, path).not.toMatch(forbidden);
      for (const s of secrets) expect(text.includes(s), `${path} contains ${s}`).toBe(false);
    }
  });

  it('answers a search with one small read once warm, a list with at most two Queries and a detail with one read', async () => {
    let reads = 0;
    const reader = new InstitutionReader(dynamo.db, table, { onCapacity: () => reads++ });
    const register = new RegisterIndexSource(
      new RegisterRows(dynamo.db, table, { onCapacity: () => reads++ }),
    );
    await register.current();
    const queries: Array<Record<string, string | number>> = [
      { q: '医', limit: 50 },
      { q: '医疗美容', limit: 50, grade: 'UNGRADED' },
      { q: 'yiliao', limit: 50, district: '淳安县' },
      { q: 'zs', limit: 1 },
      { q: '不存在的名字', limit: 50 },
      { district: '西湖区', kind: 'hospital', limit: 50 },
      { grade: 'A', limit: 50 },
    ];
    for (const query of queries) {
      reads = 0;
      const trace: SearchTrace = { queries: 0, getItems: 0, examined: 0 };
      await searchInstitutions(
        reader,
        register,
        config().CURSOR_SECRET,
        { limit: 20, ...query } as never,
        trace,
      );
      expect(trace.queries, JSON.stringify(query)).toBeLessThanOrEqual(MAX_QUERIES);
      // A search reads only the register version; a list reads its Queries.
      expect(reads, JSON.stringify(query)).toBe(query.q ? 1 : trace.queries + trace.getItems);
    }
    reads = 0;
    await reader.getProfile(data.profiles[0]!.uscc);
    expect(reads).toBe(1);
  });
});
