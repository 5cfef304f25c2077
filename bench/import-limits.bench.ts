import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { IMPORT_LIMITS, IMPORT_MEMORY_CEILING_MB } from '#shared/import/limits.ts';
import { readSheet } from '#shared/import/sheet.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { importRegister } from '#shared/services/imports.ts';
import { createDocumentClient, documentClientFor } from '#shared/store/dynamo.ts';
import {
  billionLaughs,
  denseSheet,
  emptyRows,
  encryptedPackage,
  externalLink,
  lyingSizes,
  xlsm,
  zipBomb,
} from '#test/support/zip.ts';

const self = fileURLToPath(import.meta.url);

/**
 * The largest documented register: IMPORT_LIMITS.rows valid rows of the register's fourteen columns,
 * every name and address distinct and every row scored, written by exceljs as Excel writes it
 * (shared strings). `wrongLast` spoils the last row's phone number.
 */
export async function largestRegister(opts: { wrongLast?: boolean } = {}): Promise<Buffer> {
  const header = readFileSync(new URL('../test/fixtures/register-good.csv', import.meta.url), 'utf8')
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)[0]!
    .split(',');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('register');
  ws.addRow(header);
  for (let i = 0; i < IMPORT_LIMITS.rows; i++) {
    const n = String(i).padStart(6, '0');
    const last = i === IMPORT_LIMITS.rows - 1;
    ws.addRow([
      makeUscc(`91330106MB${String(i).padStart(7, '0')}`),
      `杭州第${n}号医疗美容门诊部有限公司`,
      '医疗美容门诊部',
      '西湖区',
      `杭州市西湖区文三路${i}号${n}室`,
      `别名${n}`,
      opts.wrongLast && last ? '0571-88886666' : `139${String(i).padStart(8, '0')}`,
      '否',
      '否',
      '否',
      '否',
      80 + (i % 20),
      '2026-11-02',
      '首次',
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Characters a cell of the densest sheet holds: 3 bytes each plus ~60 of markup, filling 95% of inflatedBytes. */
const DENSE_CHARS = Math.floor(
  ((IMPORT_LIMITS.inflatedBytes * 0.95) / ((IMPORT_LIMITS.rows + 1) * IMPORT_LIMITS.cellsPerRow) - 60) / 3,
);

type Sample = { data: Buffer; format: 'xlsx' | 'csv' };

/** The hostile files, built here so the child that reads one pays nothing for building it. */
const HOSTILE: Record<string, () => Sample> = {
  'zip bomb (300 MB sheet)': () => ({ data: zipBomb(300), format: 'xlsx' }),
  'lying sizes (30 MB sheet declared 1 KB)': () => ({ data: lyingSizes(30), format: 'xlsx' }),
  'billion laughs': () => ({ data: billionLaughs(), format: 'xlsx' }),
  '1,000,000 empty rows': () => ({ data: emptyRows(1_000_000), format: 'xlsx' }),
  '.xlsm (vbaProject.bin)': () => ({ data: xlsm(), format: 'xlsx' }),
  'encrypted package': () => ({ data: encryptedPackage(), format: 'xlsx' }),
  'external link': () => ({ data: externalLink(), format: 'xlsx' }),
  'CSV, one 10 MB line': () => ({
    data: Buffer.from(`uscc\n${'a'.repeat(10 * 1024 * 1024)}\n`),
    format: 'csv',
  }),
  'CSV, one 3.9 MB line (under the file limit)': () => ({
    data: Buffer.from(`uscc\n${'a'.repeat(IMPORT_LIMITS.fileBytes - 1024)}\n`),
    format: 'csv',
  }),
  [`CSV, ${IMPORT_LIMITS.rows + 1} rows`]: () => ({
    data: Buffer.from(
      ['uscc', ...Array.from({ length: IMPORT_LIMITS.rows + 1 }, (_, i) => String(i))].join('\n'),
    ),
    format: 'csv',
  }),
};

/**
 * Peak resident memory of this process in MB: VmHWM on Linux, which starts afresh at exec (unlike
 * getrusage's maxRSS, which keeps the forking parent's figure), else maxRSS.
 */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm) return Math.round(Number(hwm) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** A local table's configuration, for the child that commits an import. */
const benchConfig = (endpoint: string, table: string) =>
  loadConfig({
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'cn-north-1',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    CURSOR_SECRET: 'bench-cursor-secret-0123456789',
    JWT_ISSUER: 'bench',
    JWT_AUDIENCE: 'bench',
    JWT_SECRET: 'bench-only-secret-for-local-tokens-0000000',
    STAGE: 'test',
    NOW: '2026-11-23T10:00:00+08:00',
  });

type Mode = 'guarded' | 'unguarded' | 'import';

/**
 * In a child process: read one file (or, in `import` mode, read it and commit it to the table of
 * IMPORT_BENCH_TABLE at IMPORT_BENCH_ENDPOINT), print `{outcome, ms, rssBeforeMb, peakRssMb, heapMb}`.
 */
async function child(path: string, format: 'xlsx' | 'csv', mode: Mode) {
  const data = new Uint8Array(readFileSync(path));
  const before = process.memoryUsage().rss;
  let heap = 0;
  const sampler = setInterval(() => {
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  let outcome = 'accepted';
  let calls = 0;
  try {
    if (mode === 'unguarded') {
      // The reader as it was: exceljs loads the whole workbook in memory.
      await new ExcelJS.Workbook().xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
    } else if (mode === 'import') {
      const config = benchConfig(
        process.env.IMPORT_BENCH_ENDPOINT as string,
        process.env.IMPORT_BENCH_TABLE as string,
      );
      const db = documentClientFor(config);
      db.middlewareStack.add(
        (next) => async (args) => {
          calls++;
          return next(args);
        },
        { step: 'initialize' },
      );
      const deps = buildAdminDeps(config, db, new RecordingNotifier());
      const report = await importRegister(
        deps,
        { subject: 'bench', role: 'city' },
        await readSheet(data, format),
      );
      outcome = report.ok
        ? `imported ${report.created} + ${report.assessments} scores`
        : `refused, ${report.errors.length} error(s)`;
      db.destroy();
    } else {
      outcome = `accepted, ${(await readSheet(data, format)).rows.length} rows`;
    }
  } catch (err) {
    const e = err as { limit?: string; message: string; constructor: { name: string } };
    outcome = e.limit
      ? `413 ${e.limit}`
      : e.constructor.name === 'ValidationError'
        ? '400'
        : `error ${e.message}`;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  heap = Math.max(heap, process.memoryUsage().heapUsed);
  console.log(
    JSON.stringify({
      outcome,
      ms: Math.round(ms),
      rssBeforeMb: Math.round(before / 2 ** 20),
      peakRssMb: peakRssMb(),
      heapMb: Math.round(heap / 2 ** 20),
      calls,
    }),
  );
}

interface Figure {
  outcome: string;
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
  heapMb: number;
  calls: number;
}

/**
 * Each hostile file read in a fresh process, so its peak resident memory is its own: the outcome
 * (413 and the limit, or 400), the time, the peak RSS and heap, against IMPORT_MEMORY_CEILING_MB.
 * Then the largest register committed to a local table (dynalite, far slower than DynamoDB: the time
 * is an upper bound; the DynamoDB calls are the figure the row limit is computed from), and the same
 * register with its last row wrong, which writes nothing. IMPORT_BENCH_BEFORE=1 also reads each
 * workbook with exceljs alone, as imports did before the limits (the bomb left out: gigabytes).
 */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'import-limits-'));
  const before = process.env.IMPORT_BENCH_BEFORE === '1';
  const largest = await largestRegister();
  const files: Record<string, () => Sample> = {
    [`valid: ${IMPORT_LIMITS.rows} rows x 14 columns`]: () => ({ data: largest, format: 'xlsx' }),
    // Just under 20 MiB of sheet XML in inline strings: the most text exceljs is ever given.
    [`densest: ${IMPORT_LIMITS.rows + 1} x ${IMPORT_LIMITS.cellsPerRow} cells of ${DENSE_CHARS} chars`]:
      () => ({
        data: denseSheet(IMPORT_LIMITS.rows + 1, IMPORT_LIMITS.cellsPerRow, DENSE_CHARS),
        format: 'xlsx',
      }),
    ...HOSTILE,
  };
  const dynamo = await startLocalDynamo();
  // Asynchronous: the import child talks to the dynalite this process serves.
  const measure = async (path: string, format: string, mode: Mode, env: Record<string, string> = {}) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', self, '--child', path, format, mode],
      { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, ...env } },
    );
    return JSON.parse(stdout.trim()) as Figure;
  };
  const line = (name: string, bytes: number, r: Figure) =>
    console.log(
      `${name.padEnd(44)} ${(bytes / 1024).toFixed(0).padStart(6)} KB  ${r.outcome.padEnd(26)} ${String(r.ms).padStart(6)} ms  peak RSS ${String(r.peakRssMb).padStart(4)} MB (${r.rssBeforeMb} at start), heap ${r.heapMb} MB  ${r.peakRssMb <= IMPORT_MEMORY_CEILING_MB ? 'under' : 'OVER'} the ${IMPORT_MEMORY_CEILING_MB} MB ceiling`,
    );
  try {
    console.log(`memory ceiling of one import (IMPORT_MEMORY_CEILING_MB): ${IMPORT_MEMORY_CEILING_MB} MB`);
    for (const [name, build] of Object.entries(files)) {
      const { data, format } = build();
      const path = join(dir, 'file');
      writeFileSync(path, data);
      line(name, data.length, await measure(path, format, 'guarded'));
      // The bomb is left out: exceljs alone grows to gigabytes on it.
      if (before && format === 'xlsx' && !name.startsWith('zip bomb')) {
        const b = await measure(path, format, 'unguarded');
        console.log(`${''.padEnd(44)} exceljs alone: ${b.outcome}, ${b.ms} ms, peak RSS ${b.peakRssMb} MB`);
      }
    }
    const db = createDocumentClient({ region: 'cn-north-1', endpoint: dynamo.endpoint });
    for (const [name, data] of [
      [`import, last row wrong: ${IMPORT_LIMITS.rows} rows`, await largestRegister({ wrongLast: true })],
      [`import: ${IMPORT_LIMITS.rows} rows, every one scored`, largest],
    ] as const) {
      const table = `bench-${randomUUID().slice(0, 8)}`;
      await ensureTable(db as never, table);
      const path = join(dir, 'file');
      writeFileSync(path, data);
      const r = await measure(path, 'xlsx', 'import', {
        IMPORT_BENCH_ENDPOINT: dynamo.endpoint,
        IMPORT_BENCH_TABLE: table,
      });
      line(name, data.length, r);
      console.log(
        `${''.padEnd(44)} ${r.calls} DynamoDB calls (${(r.calls / IMPORT_LIMITS.rows).toFixed(1)} a row) in ${(r.ms / 1000).toFixed(1)} s on dynalite`,
      );
    }
    db.destroy();
  } finally {
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1] as string, args[2] as 'xlsx' | 'csv', args[3] as Mode);
}
