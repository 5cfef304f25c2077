import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGETS, FUNCTION_NAMES, type FunctionName } from '../../infra/bundling.ts';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';
import { type BundleFigure, bundleEntry, bundleFunction } from '../../scripts/bundle.ts';

/**
 * The bundle budgets, built with the esbuild options the CDK deploys (infra/bundling.ts): sizes only,
 * never times (cold starts are measured by `npm run bench`).
 */
const outdir = mkdtempSync(join(tmpdir(), 'yimei-bundles-'));
// Entries written by the tests sit inside the project, so their imports resolve from node_modules.
mkdirSync(join(PROJECT_ROOT, 'dist'), { recursive: true });
const entries = mkdtempSync(join(PROJECT_ROOT, 'dist', 'test-entries-'));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(entries, { recursive: true, force: true });
});

const figures = new Map<FunctionName, BundleFigure>();
const figure = async (name: FunctionName) => {
  const known = figures.get(name);
  if (known) return known;
  const built = await bundleFunction(name, outdir);
  figures.set(name, built);
  return built;
};
/** The modules with code in the output (the metafile's `inputs` also lists what tree shaking dropped). */
const inputsOf = (metafile: Metafile) =>
  Object.values(metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([path]) => path),
  );

describe('Lambda bundle budgets', () => {
  it.each([...FUNCTION_NAMES])(
    'keeps %s within its budget',
    async (name) => {
      const f = await figure(name);
      expect(f.bytes, `${name}: ${f.bytes} bytes`).toBeLessThanOrEqual(BUNDLE_BUDGETS[name]);
    },
    120_000,
  );

  it('holds the public reads to 440 KB and every other function to 1.5 MB', () => {
    expect(BUNDLE_BUDGETS['public-api']).toBe(440_000);
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'public-api')) {
      expect(BUNDLE_BUDGETS[name], name).toBe(1_500_000);
    }
  });

  it('bundles no admin or import code and no spreadsheet, pinyin or holiday data into the public reads', async () => {
    const inputs = inputsOf((await figure('public-api')).metafile);
    const forbidden = inputs.filter((p) =>
      /node_modules[\\/](exceljs|pinyin-pro|jose)[\\/]|data[\\/]calendar[\\/]|shared[\\/](http[\\/]admin[\\/]routes|import[\\/])/.test(
        p,
      ),
    );
    expect(forbidden).toEqual([]);
    expect(inputs.some((p) => p.includes('shared/http/public/search.ts'))).toBe(true);
  }, 120_000);

  it('keeps spreadsheets out of every function but imports, and the admin routes out of objections', async () => {
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'imports-api')) {
      const inputs = inputsOf((await figure(name)).metafile);
      expect(
        inputs.filter((p) => /node_modules[\\/]exceljs[\\/]/.test(p)),
        name,
      ).toEqual([]);
    }
    const objections = inputsOf((await figure('objections-api')).metafile);
    expect(objections.filter((p) => /shared[\\/]http[\\/]admin[\\/]routes\.ts$/.test(p))).toEqual([]);
  }, 300_000);
});

describe('what the bundling plugins leave out', () => {
  const build = async (name: string, source: string) => {
    const entry = join(entries, `${name}.ts`);
    writeFileSync(entry, source);
    const file = join(outdir, name, 'index.mjs');
    await bundleEntry(entry, file);
    return (await import(pathToFileURL(file).href)) as Record<string, (...args: unknown[]) => unknown>;
  };

  it('still reads a workbook with exceljs once its writer and streaming reader are left out', async () => {
    const { readSheet } = await build(
      'sheet',
      `export { readSheet } from ${JSON.stringify(join(PROJECT_ROOT, 'shared/import/sheet.ts'))};`,
    );
    const data = new Uint8Array(readFileSync(join(PROJECT_ROOT, 'test/fixtures/register-good.xlsx')));
    const sheet = (await readSheet?.(data, 'xlsx')) as { headers: string[]; rows: { cells: object }[] };
    expect(sheet.headers).toContain('统一社会信用代码');
    expect(sheet.rows.length).toBeGreaterThan(0);
    expect(sheet.rows[0]?.cells).toMatchObject({ 评分日期: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  }, 120_000);

  it('makes what was left out throw, naming the bundling module, instead of misbehaving', async () => {
    const mod = await build(
      'left-out',
      [
        "import ExcelJS from 'exceljs';",
        "import { z } from 'zod';",
        'export const fromJsonSchema = () => z.fromJSONSchema({ type: "string" });',
        'export const writeStream = () => new ExcelJS.stream.xlsx.WorkbookWriter({});',
        'export const english = () => z.string().safeParse(1).error?.issues[0]?.message;',
      ].join('\n'),
    );
    expect(() => mod.fromJsonSchema?.()).toThrow(/infra\/bundling\.ts/);
    expect(() => mod.writeStream?.()).toThrow(/archiver is not bundled/);
    expect(mod.english?.()).toMatch(/expected string/i);
  }, 120_000);
});
