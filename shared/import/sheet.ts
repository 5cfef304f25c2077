import ExcelJS from 'exceljs';
import { TooLargeError, ValidationError } from '../domain/errors.ts';
import { parseCsv } from './csv.ts';
import { IMPORT_LIMITS } from './limits.ts';
import { guardXlsx } from './xlsx-guard.ts';

export type SheetFormat = 'xlsx' | 'csv';

/** A data row of the sheet: its 1-based row number in the file and its cells by header. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

/** The format of a file from its name or content type. */
export function formatOf(nameOrType: string): SheetFormat | null {
  const v = nameOrType.toLowerCase();
  if (v.endsWith('.xlsx') || v.includes('spreadsheetml')) return 'xlsx';
  if (v.endsWith('.csv') || v.includes('text/csv')) return 'csv';
  return null;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel dates are calendar dates: read them in UTC so no time zone shifts the day.
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

/**
 * Reads the first worksheet (xlsx, with exceljs) or the CSV text; the first row holds the headers.
 * Every limit of IMPORT_LIMITS is checked while reading: a workbook is streamed through guardXlsx
 * before exceljs inflates anything.
 */
export async function readSheet(
  data: Uint8Array,
  format: SheetFormat,
): Promise<{ headers: string[]; rows: SheetRow[] }> {
  if (data.byteLength > IMPORT_LIMITS.fileBytes) {
    throw new TooLargeError(
      `the file is larger than ${IMPORT_LIMITS.fileBytes} bytes`,
      'fileBytes',
      IMPORT_LIMITS.fileBytes,
    );
  }
  let matrix: string[][];
  if (format === 'csv') {
    matrix = parseCsv(new TextDecoder('utf-8').decode(data));
  } else {
    await guardXlsx(data);
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
    } catch {
      throw new ValidationError('the file is not a readable .xlsx workbook', [
        { path: 'file', message: 'not a readable .xlsx workbook' },
      ]);
    }
    const sheet = workbook.worksheets[0];
    matrix = [];
    sheet?.eachRow({ includeEmpty: true }, (row, n) => {
      const values: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        values[col - 1] = cellText(cell.value);
      });
      matrix[n - 1] = Array.from(values, (v) => v ?? '');
    });
    matrix = Array.from(matrix, (r) => r ?? []);
  }
  const [header, ...body] = matrix;
  if (!header || header.every((h) => h.trim() === '')) {
    throw new ValidationError('the file has no header row', [{ path: 'file', message: 'no header row' }]);
  }
  const headers = header.map((h) => h.trim());
  const rows: SheetRow[] = [];
  body.forEach((values, i) => {
    if (values.every((v) => v.trim() === '')) return;
    const cells: Record<string, string> = {};
    headers.forEach((h, col) => {
      if (h) cells[h] = (values[col] ?? '').trim();
    });
    rows.push({ row: i + 2, cells });
  });
  return { headers, rows };
}
