import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '#shared/import/csv.ts';
import { IMPORT_LIMITS } from '#shared/import/limits.ts';
import { type AdminHarness, adminHarness } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import {
  billionLaughs,
  emptyRows,
  encryptedPackage,
  externalLink,
  xlsm,
  zipBomb,
} from '../../support/zip.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(h: AdminHarness, file: Buffer, type: string, token?: string) {
  return h.app.request('/v1/admin/imports', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token ?? (await h.token('city'))}`, 'Content-Type': type },
    body: new Uint8Array(file),
  });
}

describe('bulk import of a register', () => {
  const dynamo = useTestDynamo();

  it('imports every row of a good file, and nothing more when the same register comes again as CSV or Excel', async () => {
    const h = await adminHarness(dynamo);
    const report = await body(await upload(h, fixture('register-good.csv'), 'text/csv'));
    expect(report).toEqual({ ok: true, rows: 5, created: 5, skipped: 0, assessments: 3, errors: [] });
    const [, first] = parseCsv(fixture('register-good.csv').toString('utf8'));
    const uscc = first![0]!;
    const admin = await body(await h.call('GET', `/v1/admin/institutions/${uscc}`, await h.token('city')));
    expect(admin.profile).toMatchObject({
      name: '杭州美丽人生医疗美容医院',
      kind: 'hospital',
      district: '西湖区',
      aliases: ['美丽人生'],
    });
    expect(admin.private).toMatchObject({
      services: { generalAnesthesia: true, liposuction: true },
      contacts: { phones: ['13981110001'] },
    });
    expect(admin.results).toEqual([
      expect.objectContaining({ score: 92.5, grade: 'B', status: 'scored', reason: 'initial' }),
    ]);

    const head = await h.deps.events.headSeq();
    const again = await body(await upload(h, fixture('register-good.csv'), 'text/csv'));
    expect(again).toEqual({ ok: true, rows: 5, created: 0, skipped: 5, assessments: 0, errors: [] });
    // The Excel copy of the register reads to the same rows, scores included, so it is the same import.
    const excel = await body(await upload(h, fixture('register-good.xlsx'), XLSX));
    expect(excel).toEqual({ ok: true, rows: 5, created: 0, skipped: 5, assessments: 0, errors: [] });
    expect(await h.deps.events.headSeq()).toBe(head);
  });

  it('imports nothing from a file with errors and reports every one by row and column', async () => {
    const h = await adminHarness(dynamo);
    const [, first] = parseCsv(fixture('register-good.csv').toString('utf8'));
    const registered = await h.call('POST', '/v1/admin/institutions', await h.token('city'), {
      uscc: first![0],
      name: first![1],
      kind: 'hospital',
      district: first![3],
      address: first![4],
    });
    expect(registered.status).toBe(201);
    const headBefore = await h.deps.events.headSeq();
    const report = await body(await upload(h, fixture('register-bad.csv'), 'text/csv'));
    expect(report.ok).toBe(false);
    expect(report.created).toBe(0);
    const at = (row: number) =>
      report.errors.filter((e: { row: number }) => e.row === row).map((e: { column: string }) => e.column);
    expect(at(2)).toEqual(['评分']);
    // Scope is decided by kind: a name like 人民医院医疗美容科 does not refuse a row (only its bad uscc does).
    expect(at(3)).toEqual(['统一社会信用代码']);
    expect(at(4).sort()).toEqual(['全麻手术', '地址', '所在区县', '机构名称', '类别', '联系电话'].sort());
    expect(at(5)).toEqual(['评分']);
    expect(at(6)).toEqual(['统一社会信用代码']);
    expect(at(7)).toEqual(['统一社会信用代码']);
    expect(await h.deps.events.headSeq()).toBe(headBefore);
    const [, row2] = parseCsv(fixture('register-bad.csv').toString('utf8'));
    expect((await h.call('GET', `/v1/institutions/${row2![0]}`, null)).status).toBe(404);
  });

  it('refuses a row scored as an upgrade, in either spelling, naming the application route, and imports no row', async () => {
    const h = await adminHarness(dynamo);
    const csv = fixture('register-good.csv').toString('utf8').split('\n');
    const header = csv[0]!;
    const rows = csv.slice(1).filter((line) => line.trim());
    const asUpgrade = (line: string, word: string) => line.replace(/,(首次|复评)\s*$/, `,${word}`);
    const file = [header, asUpgrade(rows[0]!, '升级'), asUpgrade(rows[1]!, 'upgrade'), rows[2]!].join('\n');
    const head = await h.deps.events.headSeq();
    const report = await body(await upload(h, Buffer.from(file, 'utf8'), 'text/csv'));
    expect(report).toMatchObject({ ok: false, created: 0, assessments: 0 });
    expect(report.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [2, '评分原因'],
      [3, '评分原因'],
    ]);
    for (const error of report.errors) expect(error.message).toContain('/upgrade-applications');
    expect(await h.deps.events.headSeq()).toBe(head);
    const [, first] = parseCsv(file);
    expect((await h.call('GET', `/v1/institutions/${first![0]}`, null)).status).toBe(404);
  });

  it('refuses files that are neither CSV nor a workbook, and callers who may not import', async () => {
    const h = await adminHarness(dynamo);
    expect((await upload(h, Buffer.from('{}'), 'application/json')).status).toBe(400);
    const head = await h.deps.events.headSeq();
    const plain = await upload(h, fixture('register-good.csv'), 'text/plain');
    expect(plain.status).toBe(400);
    // The type is told by the header alone: a CSV sent as plain text is refused, naming the header and what it may be.
    expect(await body(plain)).toMatchObject({
      status: 400,
      detail: 'send a .csv or .xlsx file',
      errors: [{ path: 'content-type', message: `text/csv or ${XLSX}` }],
    });
    expect(await h.deps.events.headSeq()).toBe(head);
    expect((await upload(h, Buffer.from('not a zip'), XLSX)).status).toBe(400);
    const guidance = await h.token('guidance');
    expect((await upload(h, fixture('register-good.csv'), 'text/csv', guidance)).status).toBe(403);
    expect((await h.app.request('/v1/admin/imports', { method: 'POST', body: 'a,b' })).status).toBe(401);
  });

  it('refuses hostile files with a problem naming the limit or what was found, importing nothing', async () => {
    const h = await adminHarness(dynamo);
    const head = await h.deps.events.headSeq();
    const bomb = await upload(h, zipBomb(300), XLSX);
    expect(bomb.status).toBe(413);
    expect(bomb.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await body(bomb)).toMatchObject({
      status: 413,
      limit: 'inflatedBytes',
      max: IMPORT_LIMITS.inflatedBytes,
    });
    const rows = await upload(h, emptyRows(1_000_000), XLSX);
    expect(rows.status).toBe(413);
    expect(await body(rows)).toMatchObject({ limit: 'rows', max: IMPORT_LIMITS.rows });
    const laughs = await upload(h, billionLaughs(), XLSX);
    expect(laughs.status).toBe(400);
    expect((await body(laughs)).errors).toEqual([
      {
        path: 'file',
        message: 'not a plain workbook: an XML entity or DOCTYPE declaration (xl/worksheets/sheet1.xml)',
      },
    ]);
    const macro = await upload(h, xlsm(), XLSX);
    expect(macro.status).toBe(400);
    expect((await body(macro)).detail).toMatch(/macros/);
    const encrypted = await upload(h, encryptedPackage(), XLSX);
    expect(encrypted.status).toBe(400);
    expect((await body(encrypted)).errors).toEqual([
      { path: 'file', message: expect.stringMatching(/^not a plain workbook: .*encrypted/) },
    ]);
    const link = await upload(h, externalLink(), XLSX);
    expect(link.status).toBe(400);
    expect((await body(link)).errors).toEqual([
      { path: 'file', message: expect.stringMatching(/^not a plain workbook: external links/) },
    ]);
    const line = await upload(h, Buffer.from(`uscc\n${'a'.repeat(10 * 1024 * 1024)}\n`), 'text/csv');
    expect(line.status).toBe(413);
    expect(await body(line)).toMatchObject({ limit: 'fileBytes', max: IMPORT_LIMITS.fileBytes });
    const many = ['uscc', ...Array.from({ length: IMPORT_LIMITS.rows + 1 }, (_, i) => String(i))].join('\n');
    const tooMany = await upload(h, Buffer.from(many), 'text/csv');
    expect(tooMany.status).toBe(413);
    expect(await body(tooMany)).toMatchObject({ limit: 'rows', max: IMPORT_LIMITS.rows });
    const longLine = await upload(h, Buffer.from(`uscc\n${'a'.repeat(1024 * 1024)}\n`), 'text/csv');
    expect(longLine.status).toBe(413);
    expect(await body(longLine)).toMatchObject({ limit: 'csvLineChars', max: IMPORT_LIMITS.csvLineChars });
    expect(await h.deps.events.headSeq()).toBe(head);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['1', ''],
    ]);
  });
});
