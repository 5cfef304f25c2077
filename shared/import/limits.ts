import { IMPORT_FILE_BYTES } from '../http/lambda-payload.ts';

/**
 * What one import may commit while the caller waits: API Gateway answers 504 after 29 s (and the
 * imports function stops at 29 s), so the rows of a file are bounded by the DynamoDB calls that fit in
 * that time. A new, scored row costs at most `callsPerRow` calls (a test counts them): the register
 * check, the institution's items, tally, audit and feed event, the assessment and its own, and the
 * feed's retries when rows claim the next slot at once (27 a row alone, up to 31 four at a time,
 * measured). The figures are deliberately pessimistic: `callMs` is a slow in-region call, and 5 s
 * are left for reading and validating the file.
 */
export const IMPORT_COMMIT = {
  timeBudgetMs: 24_000,
  callMs: 10,
  callsPerRow: 32,
  /** Rows written at once: rows are independent, DynamoDB is latency-bound. */
  concurrency: 4,
} as const;

/** The most rows that commit within the budget, rounded down to hundreds (300). */
export function committableRows(c: { [K in keyof typeof IMPORT_COMMIT]: number } = IMPORT_COMMIT): number {
  const rows = Math.floor((c.timeBudgetMs * c.concurrency) / (c.callsPerRow * c.callMs));
  return Math.floor(rows / 100) * 100;
}

/**
 * Hard limits on an imported register, checked while the file is read so a hostile file is refused
 * before it is expanded in memory. A district's register is a few hundred institutions; a larger
 * register (the whole city) is imported as several files, one per district or part of one.
 */
export const IMPORT_LIMITS = {
  /** Bytes of the uploaded file (the route's body limit): 4 MiB, what base64 lets through Lambda's 6 MB. */
  fileBytes: IMPORT_FILE_BYTES,
  /** Entries in the .xlsx archive. */
  zipEntries: 64,
  /** Uncompressed bytes of all archive entries together, declared and counted while inflating. */
  inflatedBytes: 20 * 1024 * 1024,
  /** Uncompressed bytes of the shared-strings part. */
  sharedStringsBytes: 8 * 1024 * 1024,
  /**
   * Data rows (the header row not counted), and the highest row number a worksheet may use: what
   * commits within the API's time (committableRows).
   */
  rows: committableRows(),
  /** Cells in one row, and the highest column a worksheet may use. */
  cellsPerRow: 64,
  /** Characters in one CSV line (a quoted field's line breaks count towards the same line). */
  csvLineChars: 4 * 1024,
} as const;

/**
 * The documented memory ceiling of one import: the peak resident memory of the process reading any
 * file, hostile or valid, and committing the largest register stays under it (`npm run bench --
 * import-limits` prints each peak next to it). The imports function has 2,048 MB, four times this.
 */
export const IMPORT_MEMORY_CEILING_MB = 512;

/**
 * Bounds on the import report, so the answer to the worst file (every row wrong, cells echoed in the
 * messages) stays far below Lambda's 6 MB response payload: 1,000 errors of at most 300 characters
 * (900 KB of UTF-8 at most). The report says how many more errors there were.
 */
export const IMPORT_REPORT_LIMITS = {
  errors: 1_000,
  messageChars: 300,
} as const;
