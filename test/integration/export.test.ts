import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { createApp } from '#shared/http/app.ts';
import { GRADE_CSV_COLUMNS } from '#shared/http/public/export.ts';
import type { DemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { testConfig } from '../support/config.ts';
import { demoApp } from '../support/demo-app.ts';
import { startTestDynamo, type TestDynamo } from '../support/local-table.ts';

describe('GET /v1/export/grades.csv', () => {
  let dynamo: TestDynamo;
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof buildAdminDeps>;
  let data: DemoData;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    ({ app, deps, data } = await demoApp(dynamo, 230));
  });
  afterAll(async () => dynamo.close());

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
    expect(rows).toHaveLength(data.profiles.length);
    expect(new Set(rows.map((r) => r.uscc)).size).toBe(data.profiles.length);
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

  it('answers If-None-Match and If-Modified-Since with 304 until the feed moves', async () => {
    const first = await app.request('/v1/export/grades.csv');
    await first.body?.cancel();
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^W\//);
    const byTag = await app.request('/v1/export/grades.csv', { headers: { 'If-None-Match': etag } });
    expect(byTag.status).toBe(304);
    const byDate = await app.request('/v1/export/grades.csv', {
      headers: { 'If-Modified-Since': lastModified },
    });
    expect(byDate.status).toBe(304);

    await deps.events.append({
      key: 'test:export',
      type: 'institution_closed',
      uscc: data.profiles[0]!.uscc,
      district: data.profiles[0]!.district,
      occurredAt: '2026-11-23T09:00:00+08:00',
      before: { closed: false },
      after: { closed: true },
    });
    const moved = await app.request('/v1/export/grades.csv', { headers: { 'If-None-Match': etag } });
    expect(moved.status).toBe(200);
    await moved.body?.cancel();
    expect(moved.headers.get('etag')).not.toBe(etag);
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
});
