import { TooLargeError } from '../domain/errors.ts';
import { IMPORT_LIMITS } from './limits.ts';

/**
 * A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM): registers
 * exported from Excel as CSV need nothing more, and the runtime carries no extra dependency.
 */
export function parseCsv(
  text: string,
  limits: Pick<typeof IMPORT_LIMITS, 'rows' | 'cellsPerRow' | 'csvLineChars'> = IMPORT_LIMITS,
): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let lineStart = 0;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = () => {
    row.push(field);
    if (row.length > limits.cellsPerRow) {
      throw new TooLargeError(
        `line ${rows.length + 1} has more than ${limits.cellsPerRow} fields`,
        'cellsPerRow',
        limits.cellsPerRow,
      );
    }
    // The header row plus the data rows.
    if (rows.length >= limits.rows + 1) {
      throw new TooLargeError(`the file has more than ${limits.rows} data rows`, 'rows', limits.rows);
    }
    rows.push(row);
  };
  for (let i = 0; i < input.length; i++) {
    if (i - lineStart >= limits.csvLineChars) {
      throw new TooLargeError(
        `line ${rows.length + 1} is longer than ${limits.csvLineChars} characters`,
        'csvLineChars',
        limits.csvLineChars,
      );
    }
    const ch = input[i];
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      if (row.length > 0 || field !== '') endRow();
      row = [];
      field = '';
      lineStart = i + 1;
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}
