import { IMPORT_FILE_BYTES } from '../http/lambda-payload.ts';

/**
 * Hard limits on an imported register, checked while the file is read so a hostile file is refused
 * before it is expanded in memory. The register of Hangzhou's medical-aesthetic institutions has a
 * few thousand rows at most; 20,000 data rows leaves ample room for a whole-city file.
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
  /** Data rows (the header row not counted), and the highest row number a worksheet may use. */
  rows: 20_000,
  /** Cells in one row, and the highest column a worksheet may use. */
  cellsPerRow: 64,
  /** Characters in one CSV line (a quoted field's line breaks count towards the same line). */
  csvLineChars: 4 * 1024,
} as const;

/**
 * Bounds on the import report, so the answer to the worst file (every row wrong, cells echoed in the
 * messages) stays far below Lambda's 6 MB response payload: 1,000 errors of at most 300 characters
 * (900 KB of UTF-8 at most). The report says how many more errors there were.
 */
export const IMPORT_REPORT_LIMITS = {
  errors: 1_000,
  messageChars: 300,
} as const;
