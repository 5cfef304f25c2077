import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '#shared/auth/mint.ts';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { countsInScope } from '#shared/domain/scope.ts';
import { PresignedExportLinks } from '#shared/exports/export-links.ts';
import { createApp } from '#shared/http/app.ts';
import { GRADE_CSV_COLUMNS } from '#shared/http/public/export.ts';
import type { DemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import type { Stats } from '#shared/schemas/search.ts';
import { TEST_JWT_SECRET, testConfig } from '../support/config.ts';
import { demoApp } from '../support/demo-app.ts';
import { useTestDynamo } from '../support/local-table.ts';

describe('GET /v1/export/grades.csv', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof buildAdminDeps>;
  let data: DemoData;

  const cityToken = () => {
    const config = testConfig();
    return mintLocalToken({
      secret: TEST_JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      role: 'city',
    });
  };

  beforeAll(async () => {
    ({ app, deps, data } = await demoApp(dynamo, 230));
  });

  it('streams every institution as UTF-8 CSV with a BOM that a CSV parser reads back with Chinese intact', async () => {
    const res = await app.request('/v1/export/grades.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');

    const chunks: Uint8Array[] = [];
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    // Header, then one chunk per index page (three kinds, 200 rows a page): never one big string.
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...GRADE_CSV_COLUMNS]);
    // Closed institutions are out of scope, as in /v1/stats.
    const inScope = data.profiles.filter(countsInScope);
    expect(inScope.length).toBeLessThan(data.profiles.length);
    expect(rows).toHaveLength(inScope.length);
    expect(new Set(rows.map((r) => r.uscc)).size).toBe(inScope.length);
    for (const row of rows) {
      const profile = data.profiles.find((p) => p.uscc === row.uscc)!;
      expect(row.name).toBe(profile.name);
      expect(row.name).toMatch(/（演示\d*）$/);
      expect(row.district).toBe(profile.district);
      expect(row.kindLabel).toMatch(/^医疗美容(医院|门诊部|诊所)$/);
      expect(row.grade).toBe(profile.grade ?? 'UNGRADED');
      expect(row.gradeLabel).toMatch(profile.grade ? new RegExp(`^${profile.grade}级.+机构$`) : /^未评级$/);
      expect(row.score).toBe(profile.score === null ? '' : String(profile.score));
      expect(row.nextReviewDue).toBe(profile.nextReviewDue ?? '');
      expect(row.inPublicity).toBe(String(profile.publicity !== null));
    }
  });

  it('answers If-None-Match with 304 until the register moves', async () => {
    const first = await app.request('/v1/export/grades.csv');
    await first.body?.cancel();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\//);
    const byTag = await app.request('/v1/export/grades.csv', { headers: { 'If-None-Match': etag } });
    expect(byTag.status).toBe(304);
    // The register version keeps no time, so there is no Last-Modified to revalidate by.
    expect(first.headers.get('last-modified')).toBeNull();
    const byDate = await app.request('/v1/export/grades.csv', {
      headers: { 'If-Modified-Since': new Date().toUTCString() },
    });
    expect(byDate.status).toBe(200);
    await byDate.body?.cancel();
  });

  it.each([
    ['a rename', { name: '改名后的医疗美容诊所（演示）' }],
    ['a new address', { address: '杭州市西湖区文三路 1 号' }],
    ['new aliases', { aliases: ['新别名'] }],
  ])(
    'sends the new content, not 304, to the old ETag after %s (which appends no change event)',
    async (_, change) => {
      const city = await cityToken();
      const target = data.profiles[1]!;
      const before = await app.request('/v1/export/grades.csv');
      await before.body?.cancel();
      const etag = before.headers.get('etag')!;
      const feedHead = await deps.events.head();

      const patched = await app.request(`/v1/admin/institutions/${target.uscc}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(change),
      });
      expect(patched.status).toBe(200);
      expect((await deps.events.head())?.seq).toBe(feedHead?.seq);

      const after = await app.request('/v1/export/grades.csv', { headers: { 'If-None-Match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      const rows = parse(Buffer.from(await after.arrayBuffer()), { bom: true, columns: true }) as Record<
        string,
        string
      >[];
      if ('name' in change) expect(rows.find((r) => r.uscc === target.uscc)?.name).toBe(change.name);
    },
  );

  it('lists exactly the institutions /v1/stats counts: a closed one is in neither', async () => {
    const city = await cityToken();
    const closing = data.profiles[2]!;
    const closed = await app.request(`/v1/admin/institutions/${closing.uscc}/close`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(closed.status).toBe(200);
    const stats = (await (await app.request('/v1/stats')).json()) as Stats;
    const csv = await app.request('/v1/export/grades.csv');
    const rows = parse(Buffer.from(await csv.arrayBuffer()), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(stats.total.closed).toBeGreaterThanOrEqual(1);
    expect(rows).toHaveLength(stats.total.institutions);
    expect(rows.map((r) => r.uscc)).not.toContain(closing.uscc);
    for (const district of stats.districts) {
      expect(rows.filter((r) => r.district === district.district)).toHaveLength(district.institutions);
    }
    const graded = rows.filter((r) => r.grade !== 'UNGRADED').length;
    expect(graded).toBe(stats.total.A + stats.total.B + stats.total.C + stats.total.D);
  });

  it('ends after the header row when the register is empty', async () => {
    const table = await dynamo.freshTable();
    const empty = createApp(
      buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier()),
    );
    const res = await empty.request('/v1/export/grades.csv');
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString('utf8')).toBe(`\uFEFF${GRADE_CSV_COLUMNS.join(',')}\r\n`);
  });

  it("answers 503 problem+json with Retry-After when S3 does not answer the China profile's HEAD", async () => {
    const logged: Record<string, unknown>[] = [];
    const unreachable = createApp(
      {
        ...deps,
        exportLinks: new PresignedExportLinks({
          bucket: 'yimei-exports',
          region: 'cn-north-1',
          credentials: async () => ({ accessKeyId: 'AK', secretAccessKey: 'SK' }),
          fetch: async () => {
            throw new TypeError('fetch failed');
          },
        }),
      },
      { error: (_message, details) => logged.push(details) },
    );
    const res = await unreachable.request('/v1/export/grades.csv');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('60');
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toBe('the export file store did not answer; try again in a minute');
    expect(logged).toEqual([expect.objectContaining({ cause: 'fetch failed' })]);
  });
});
