import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TooLargeError, ValidationError } from '#shared/domain/errors.ts';
import { MAX_IMPORT_BODY_BYTES } from '#shared/http/body-limit.ts';
import { parseCsv } from '#shared/import/csv.ts';
import { committableRows, IMPORT_COMMIT, IMPORT_LIMITS } from '#shared/import/limits.ts';
import { readSheet } from '#shared/import/sheet.ts';
import {
  billionLaughs,
  buildZip,
  emptyRows,
  encryptedPackage,
  externalLink,
  lyingSizes,
  sheetXml,
  workbookParts,
  xlsm,
  zipBomb,
} from '../../support/zip.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

async function refusal(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (!err) throw new Error('expected the file to be refused');
  return err;
}

describe('the row limit, from the time one import may take', () => {
  it('is the rows whose DynamoDB calls fit the commit budget, rounded down to hundreds', () => {
    expect(committableRows({ timeBudgetMs: 24_000, callMs: 10, callsPerRow: 32, concurrency: 4 })).toBe(300);
    expect(committableRows({ timeBudgetMs: 24_000, callMs: 10, callsPerRow: 24, concurrency: 4 })).toBe(400);
    expect(committableRows({ timeBudgetMs: 24_000, callMs: 20, callsPerRow: 32, concurrency: 4 })).toBe(100);
    expect(IMPORT_LIMITS.rows).toBe(300);
    expect(IMPORT_LIMITS.rows).toBe(committableRows(IMPORT_COMMIT));
    const { timeBudgetMs, callMs, callsPerRow, concurrency } = IMPORT_COMMIT;
    expect((IMPORT_LIMITS.rows * callsPerRow * callMs) / concurrency).toBeLessThanOrEqual(timeBudgetMs);
    // The budget leaves time to read and validate the file within API Gateway's 29 s.
    expect(timeBudgetMs).toBeLessThanOrEqual(29_000 - 5_000);
  });
});

describe('workbook limits, checked before exceljs reads the file', () => {
  it('lets the HTTP body limit of imports be exactly the documented file limit', () => {
    expect(MAX_IMPORT_BODY_BYTES).toBe(IMPORT_LIMITS.fileBytes);
  });

  it('reads the good register and a small built workbook', async () => {
    const good = await readSheet(fixture('register-good.xlsx'), 'xlsx');
    expect(good.rows.length).toBe(5);
    const built = await readSheet(
      buildZip(
        workbookParts(
          sheetXml([
            ['uscc', 'name'],
            ['1', 'a'],
          ]),
        ),
      ),
      'xlsx',
    );
    expect(built).toEqual({ headers: ['uscc', 'name'], rows: [{ row: 2, cells: { uscc: '1', name: 'a' } }] });
  });

  it('refuses a zip bomb with 413 naming the inflated-size limit', async () => {
    const bomb = zipBomb(300);
    expect(bomb.length).toBeLessThan(IMPORT_LIMITS.fileBytes);
    const err = await refusal(readSheet(bomb, 'xlsx'));
    expect(err).toBeInstanceOf(TooLargeError);
    expect(err).toMatchObject({ limit: 'inflatedBytes', max: IMPORT_LIMITS.inflatedBytes });
  });

  it('stops at the declared size when the headers understate it', async () => {
    // The sheet declares 1 KB and inflates to 30 MB: the stream stops at the declared size.
    const err = await refusal(readSheet(lyingSizes(30), 'xlsx'));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/not a readable \.xlsx workbook/);
  });

  it('refuses a billion-laughs sheet with 400 naming the entity declaration', async () => {
    const err = await refusal(readSheet(billionLaughs(), 'xlsx'));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/entity or DOCTYPE declaration \(xl\/worksheets\/sheet1\.xml\)/);
  });

  it('refuses a million empty rows with 413 naming the row limit', async () => {
    const err = await refusal(readSheet(emptyRows(1_000_000), 'xlsx'));
    expect(err).toMatchObject({ limit: 'rows', max: IMPORT_LIMITS.rows });
  });

  it('refuses one row placed past the row limit, and a cell past the column limit', async () => {
    const far = sheetXml([['uscc']]).replace(
      '</sheetData>',
      '<row r="1000000"><c r="A1000000"/></row></sheetData>',
    );
    expect(await refusal(readSheet(buildZip(workbookParts(far)), 'xlsx'))).toMatchObject({ limit: 'rows' });
    const wide = sheetXml([['uscc']]).replace('</row>', '<c r="XFD1"/></row>');
    expect(await refusal(readSheet(buildZip(workbookParts(wide)), 'xlsx'))).toMatchObject({
      limit: 'cellsPerRow',
    });
  });

  it('accepts the row limit itself', async () => {
    const rows = [['uscc'], ...Array.from({ length: IMPORT_LIMITS.rows }, (_, i) => [String(i)])];
    const sheet = await readSheet(buildZip(workbookParts(sheetXml(rows))), 'xlsx');
    expect(sheet.rows.length).toBe(IMPORT_LIMITS.rows);
  });

  it('refuses an .xlsm, an external link, an encrypted package and too many parts with 400 or 413', async () => {
    const macro = await refusal(readSheet(xlsm(), 'xlsx'));
    expect(macro).toBeInstanceOf(ValidationError);
    expect(macro.message).toMatch(/macros \(a macro-enabled content type\)/);
    const vba = await refusal(readSheet(xlsm({ macroEnabled: false }), 'xlsx'));
    expect(vba.message).toMatch(/macros \(xl\/vbaProject\.bin\)/);
    const link = await refusal(readSheet(externalLink(), 'xlsx'));
    expect(link.message).toMatch(/external links/);
    const encrypted = await refusal(readSheet(encryptedPackage(), 'xlsx'));
    expect(encrypted).toBeInstanceOf(ValidationError);
    expect(encrypted.message).toMatch(/encrypted/);
    const crowd = buildZip([
      ...workbookParts(sheetXml([['uscc']])),
      ...Array.from({ length: IMPORT_LIMITS.zipEntries }, (_, i) => ({
        name: `docProps/x${i}.xml`,
        data: '<x/>',
      })),
    ]);
    expect(await refusal(readSheet(crowd, 'xlsx'))).toMatchObject({ limit: 'zipEntries' });
  });

  it('accepts printer settings, and refuses a UTF-16 sheet', async () => {
    const printer = buildZip([
      ...workbookParts(sheetXml([['uscc'], ['1']])),
      { name: 'xl/printerSettings/printerSettings1.bin', data: Buffer.alloc(64, 2) },
    ]);
    expect((await readSheet(printer, 'xlsx')).rows).toEqual([{ row: 2, cells: { uscc: '1' } }]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sheetXml([['uscc']]), 'utf16le')]);
    const err = await refusal(readSheet(buildZip(workbookParts(utf16)), 'xlsx'));
    expect(err.message).toMatch(/UTF-16 XML part \(xl\/worksheets\/sheet1\.xml\)/);
  });

  it('refuses a macro-enabled content type even without the VBA part', async () => {
    const parts = workbookParts(sheetXml([['uscc']]), { macroEnabled: true });
    const err = await refusal(readSheet(buildZip(parts), 'xlsx'));
    expect(err.message).toMatch(/macro-enabled content type/);
  });
});

describe('CSV limits', () => {
  it('refuses one 10 MB line: 413 for the file size, and the line limit on its own', async () => {
    const line = new TextEncoder().encode(`uscc\n${'a'.repeat(10 * 1024 * 1024)}\n`);
    expect(await refusal(readSheet(line, 'csv'))).toMatchObject({ limit: 'fileBytes' });
    expect(() => parseCsv(`uscc\n${'a'.repeat(IMPORT_LIMITS.csvLineChars + 1)}`)).toThrow(
      expect.objectContaining({ limit: 'csvLineChars' }),
    );
    expect(parseCsv(`uscc\n${'a'.repeat(IMPORT_LIMITS.csvLineChars - 1)}`)[1]![0]!.length).toBe(
      IMPORT_LIMITS.csvLineChars - 1,
    );
  });

  it('refuses more rows or more fields than the limits', () => {
    const many = ['uscc', ...Array.from({ length: IMPORT_LIMITS.rows + 1 }, (_, i) => String(i))].join('\n');
    expect(() => parseCsv(many)).toThrow(expect.objectContaining({ limit: 'rows' }));
    const atLimit = ['uscc', ...Array.from({ length: IMPORT_LIMITS.rows }, (_, i) => String(i))].join('\n');
    expect(parseCsv(atLimit).length).toBe(IMPORT_LIMITS.rows + 1);
    expect(() => parseCsv(`uscc\n${','.repeat(IMPORT_LIMITS.cellsPerRow)}x`)).toThrow(
      expect.objectContaining({ limit: 'cellsPerRow' }),
    );
  });
});
