import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AdminHarness, adminHarness } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));

async function upload(h: AdminHarness, text: string | Buffer) {
  return h.app.request('/v1/admin/imports', {
    method: 'POST',
    headers: { Authorization: `Bearer ${await h.token('city')}`, 'Content-Type': 'text/csv' },
    body: new Uint8Array(Buffer.from(text)),
  });
}

describe('importing licences, coordinates and attending physicians', () => {
  const dynamo = useTestDynamo();

  it('imports the columns, changes nothing on a second import, and syncs the physicians listed', async () => {
    const h = await adminHarness(dynamo);
    const file = fixture('register-capabilities.csv');
    expect(await body(await upload(h, file))).toMatchObject({ ok: true, created: 3, errors: [] });
    const hospital = await body(await h.call('GET', '/v1/institutions/91330106MC1000001G', null));
    expect(hospital).toMatchObject({
      licenceNumber: 'PDY10001X33010617D2192',
      subjects: ['美容外科', '美容皮肤科'],
      surgeryLevel: 4,
      location: { lat: 30.274112, lng: 120.136201 },
    });
    expect(hospital.physicians.map((p: { name: string }) => p.name)).toEqual(['林晓雯', '周宁']);
    const clinic = await body(await h.call('GET', '/v1/institutions/91330106MC1000003N', null));
    expect(clinic).toMatchObject({ subjects: ['美容皮肤科'], surgeryLevel: null, physicians: [] });

    const head = await h.deps.events.headSeq();
    expect(await body(await upload(h, file))).toMatchObject({ ok: true, created: 0, skipped: 3 });
    expect(await h.deps.events.headSeq()).toBe(head);

    const fewer = file.toString('utf8').replace('；周宁/美容皮肤科/110330100054321/2021-09-15', '');
    expect(await body(await upload(h, fewer))).toMatchObject({ ok: true });
    const after = await body(await h.call('GET', '/v1/institutions/91330106MC1000001G', null));
    expect(after.physicians.map((p: { name: string }) => p.name)).toEqual(['林晓雯']);
  });

  it('refuses a file with a bad licence, level, coordinate or physician, naming row and column, and imports nothing', async () => {
    const h = await adminHarness(dynamo);
    const report = await body(await upload(h, fixture('register-capabilities-bad.csv')));
    expect(report.ok).toBe(false);
    expect(report.created).toBe(0);
    const at = (report.errors as Array<{ row: number; column: string; message: string }>).map(
      (e) => `${e.row}:${e.column}`,
    );
    expect(at).toEqual(
      expect.arrayContaining([
        '2:美容外科手术级别',
        '3:执业许可证登记号',
        '3:核准科目',
        '3:纬度',
        '4:美容外科手术级别',
        '4:经度',
        '4:主诊医师',
      ]),
    );
    const level = report.errors.find(
      (e: { row: number; column: string }) => e.row === 4 && e.column === '美容外科手术级别',
    );
    expect(level.message).toContain('level 1');
    expect((await h.call('GET', '/v1/institutions/91330106MC1000001G', null)).status).toBe(404);
  });
});
