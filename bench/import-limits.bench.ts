import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { IMPORT_LIMITS } from '#shared/import/limits.ts';
import { readSheet } from '#shared/import/sheet.ts';
import { billionLaughs, denseSheet, emptyRows, lyingSizes, xlsm, zipBomb } from '#test/support/zip.ts';

const self = fileURLToPath(import.meta.url);

/**
 * The largest documented register: IMPORT_LIMITS.rows rows of the register's fourteen columns, every
 * name and address distinct, written by exceljs as Excel writes it (shared strings).
 */
export async function largestRegister(): Promise<Buffer> {
  const header = readFileSync(new URL('../test/fixtures/register-good.csv', import.meta.url), 'utf8')
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)[0]!
    .split(',');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('register');
  ws.addRow(header);
  for (let i = 0; i < IMPORT_LIMITS.rows; i++) {
    const n = String(i).padStart(6, '0');
    ws.addRow([
      `91330108MA${n}X1`,
      `杭州第${n}号医疗美容门诊部有限公司`,
      '医疗美容门诊部',
      '西湖区',
      `杭州市西湖区文三路${i}号${n}室`,
      `别名${n}`,
      `0571-8${n}1`,
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

/** The hostile files, built here so the child that reads one pays nothing for building it. */
const HOSTILE: Record<string, () => { data: Buffer; format: 'xlsx' | 'csv' }> = {
  'zip bomb (300 MB sheet)': () => ({ data: zipBomb(300), format: 'xlsx' }),
  'lying sizes (30 MB sheet declared 1 KB)': () => ({ data: lyingSizes(30), format: 'xlsx' }),
  'billion laughs': () => ({ data: billionLaughs(), format: 'xlsx' }),
  '1,000,000 empty rows': () => ({ data: emptyRows(1_000_000), format: 'xlsx' }),
  '.xlsm (vbaProject.bin)': () => ({ data: xlsm(), format: 'xlsx' }),
  'CSV, one 10 MB line': () => ({
    data: Buffer.from(`uscc\n${'a'.repeat(10 * 1024 * 1024)}\n`),
    format: 'csv',
  }),
  'CSV, one 4 MB line (under the file limit)': () => ({
    data: Buffer.from(`uscc\n${'a'.repeat(4 * 1024 * 1024)}\n`),
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

/** In a child process: read one file, print `{outcome, ms, rssBeforeMb, peakRssMb}` as JSON. */
async function child(path: string, format: 'xlsx' | 'csv', unguarded: boolean) {
  const data = new Uint8Array(readFileSync(path));
  const before = process.memoryUsage().rss;
  const started = performance.now();
  let outcome = 'accepted';
  try {
    if (unguarded) {
      // The reader as it was: exceljs loads the whole workbook in memory.
      await new ExcelJS.Workbook().xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
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
  console.log(
    JSON.stringify({
      outcome,
      ms: Math.round(ms),
      rssBeforeMb: Math.round(before / 2 ** 20),
      peakRssMb: peakRssMb(),
    }),
  );
}

/**
 * Each hostile file read in a fresh process, so its peak resident memory is its own: the outcome
 * (413 and the limit, or 400), the time and the peak RSS. IMPORT_BENCH_BEFORE=1 also reads each
 * workbook with exceljs alone, as imports did before the limits (the bomb left out: gigabytes).
 */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'import-limits-'));
  const before = process.env.IMPORT_BENCH_BEFORE === '1';
  const largest = await largestRegister();
  const files: Record<string, () => { data: Buffer; format: 'xlsx' | 'csv' }> = {
    [`valid: ${IMPORT_LIMITS.rows} rows x 14 columns`]: () => ({ data: largest, format: 'xlsx' }),
    // About 19 MB of sheet XML: the most exceljs is ever given.
    'densest within the limits: 13,000 x 52 cells': () => ({ data: denseSheet(13_000, 52), format: 'xlsx' }),
    ...HOSTILE,
  };
  try {
    for (const [name, build] of Object.entries(files)) {
      const { data, format } = build();
      const path = join(dir, 'file');
      writeFileSync(path, data);
      const measure = (unguarded: boolean) =>
        JSON.parse(
          execFileSync(
            process.execPath,
            ['--import', 'tsx', self, '--child', path, format, unguarded ? 'unguarded' : 'guarded'],
            { encoding: 'utf8', maxBuffer: 1 << 20 },
          ).trim(),
        ) as { outcome: string; ms: number; rssBeforeMb: number; peakRssMb: number };
      const r = measure(false);
      console.log(
        `${name.padEnd(44)} ${(data.length / 1024).toFixed(0).padStart(6)} KB  ${r.outcome.padEnd(20)} ${String(r.ms).padStart(6)} ms  peak RSS ${r.peakRssMb} MB (${r.rssBeforeMb} MB at start)`,
      );
      // The bomb is left out: exceljs alone grows to gigabytes on it.
      if (before && format === 'xlsx' && !name.startsWith('zip bomb')) {
        const b = measure(true);
        console.log(`${''.padEnd(44)} exceljs alone: ${b.outcome}, ${b.ms} ms, peak RSS ${b.peakRssMb} MB`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1] as string, args[2] as 'xlsx' | 'csv', args[3] === 'unguarded');
}
