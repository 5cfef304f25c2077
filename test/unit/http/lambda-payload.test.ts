import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BODY_BYTES } from '#shared/http/body-limit.ts';
import {
  base64Length,
  EVENT_OVERHEAD_BYTES,
  IMPORT_FILE_BYTES,
  LAMBDA_SYNC_PAYLOAD_BYTES,
  largestBase64Body,
} from '#shared/http/lambda-payload.ts';
import { IMPORT_LIMITS, IMPORT_REPORT_LIMITS } from '#shared/import/limits.ts';
import { boundedReport, type ImportReport, validateRows } from '#shared/services/imports.ts';

const MIB = 1024 * 1024;

/** A payload-2.0 event as the HTTP API sends it, with a long bearer token and forwarding headers. */
function httpApiEvent(body: Uint8Array): string {
  return JSON.stringify({
    version: '2.0',
    routeKey: 'POST /v1/admin/imports',
    rawPath: '/v1/admin/imports',
    rawQueryString: '',
    headers: {
      authorization: `Bearer ${'x'.repeat(4096)}`,
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-length': String(body.byteLength),
      'x-forwarded-for': '203.0.113.7, 198.51.100.1',
      'user-agent': 'Mozilla/5.0 '.repeat(20),
    },
    requestContext: {
      authorizer: { jwt: { claims: { sub: 'u'.repeat(64), 'custom:role': 'city' }, scopes: null } },
      http: { method: 'POST', path: '/v1/admin/imports', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7' },
      requestId: 'r'.repeat(36),
      time: '02/Dec/2026:12:00:00 +0800',
      timeEpoch: 0,
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  });
}

describe('the import file limit, from the Lambda payload limit', () => {
  it('is 4 MiB, the largest whole MiB whose base64 and the event overhead fit in 6 MB', () => {
    expect(base64Length(3)).toBe(4);
    expect(base64Length(4)).toBe(8);
    expect(largestBase64Body(1_000, 100)).toBe(675);
    expect(base64Length(largestBase64Body(1_000, 100)) + 100).toBeLessThanOrEqual(1_000);
    expect(IMPORT_FILE_BYTES).toBe(4 * MIB);
    expect(base64Length(IMPORT_FILE_BYTES)).toBe(5_592_408);
    expect(base64Length(IMPORT_FILE_BYTES) + EVENT_OVERHEAD_BYTES).toBeLessThanOrEqual(
      LAMBDA_SYNC_PAYLOAD_BYTES,
    );
    // One MiB more would not fit: the 5 MiB limit of before reached Lambda as 6.99 MB.
    expect(base64Length(IMPORT_FILE_BYTES + MIB) + EVENT_OVERHEAD_BYTES).toBeGreaterThan(
      LAMBDA_SYNC_PAYLOAD_BYTES,
    );
    expect(base64Length(5 * MIB)).toBeGreaterThan(LAMBDA_SYNC_PAYLOAD_BYTES);
  });

  it('is the one value behind the documented file limit and the HTTP body limit of the import route', () => {
    expect(IMPORT_LIMITS.fileBytes).toBe(IMPORT_FILE_BYTES);
    expect(MAX_IMPORT_BODY_BYTES).toBe(IMPORT_FILE_BYTES);
  });

  it('lets a file of exactly the limit reach the function inside a whole event', () => {
    const event = httpApiEvent(randomBytes(IMPORT_LIMITS.fileBytes));
    expect(Buffer.byteLength(event)).toBeLessThanOrEqual(LAMBDA_SYNC_PAYLOAD_BYTES);
    expect(Buffer.byteLength(event) - base64Length(IMPORT_LIMITS.fileBytes)).toBeLessThan(
      EVENT_OVERHEAD_BYTES,
    );
  });
});

describe('the import report, within the Lambda response payload', () => {
  it('answers the worst file, every cell of every row wrong and long, in well under 6 MB', () => {
    const long = '某'.repeat(2_000);
    const headers = [
      'uscc',
      'name',
      'kind',
      'district',
      'address',
      'phones',
      'generalAnesthesia',
      'score',
      'reason',
    ];
    const rows = Array.from({ length: IMPORT_LIMITS.rows }, (_, i) => ({
      row: i + 2,
      cells: Object.fromEntries(headers.map((h) => [h, `${long}${i}`])),
    }));
    const { errors } = validateRows(headers, rows, { subject: 'city', role: 'city' }, '2026-12-02');
    const full: ImportReport = {
      ok: false,
      rows: rows.length,
      created: 0,
      skipped: 0,
      assessments: 0,
      errors,
    };
    expect(Buffer.byteLength(JSON.stringify(full))).toBeGreaterThan(LAMBDA_SYNC_PAYLOAD_BYTES);

    const bounded = boundedReport(full);
    expect(bounded.errors).toHaveLength(IMPORT_REPORT_LIMITS.errors);
    expect(bounded.errorsOmitted).toBe(errors.length - IMPORT_REPORT_LIMITS.errors);
    expect(Math.max(...bounded.errors.map((e) => e.message.length))).toBe(IMPORT_REPORT_LIMITS.messageChars);
    expect(bounded.errors[0]).toMatchObject({ row: 2 });
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThan(LAMBDA_SYNC_PAYLOAD_BYTES / 4);
  });

  it('leaves a short report as it is, sorted by row and column, with no omitted count', () => {
    const report: ImportReport = {
      ok: false,
      rows: 2,
      created: 0,
      skipped: 0,
      assessments: 0,
      errors: [
        { row: 3, column: 'name', message: 'b' },
        { row: 2, column: 'uscc', message: 'a' },
        { row: 2, column: 'kind', message: 'c' },
      ],
    };
    expect(boundedReport(report)).toEqual({
      ...report,
      errors: [
        { row: 2, column: 'kind', message: 'c' },
        { row: 2, column: 'uscc', message: 'a' },
        { row: 3, column: 'name', message: 'b' },
      ],
    });
  });
});
