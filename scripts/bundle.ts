import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE_BUDGETS,
  FUNCTION_NAMES,
  type FunctionName,
  functionEntry,
  lambdaBuildOptions,
} from '../infra/bundling.ts';

export { lambdaBuildOptions } from '../infra/bundling.ts';

/**
 * `npm run bundle [-- NAME...]`: builds each function to dist/<name>/index.mjs with the options the CDK
 * deploys (infra/bundling.ts), prints each size against its budget, and exits 1 when one is over.
 * `--all DIR` builds every function to DIR/<name>/index.mjs at once: what the CDK's synth runs (the
 * assets); `--entry FILE --outfile FILE` builds one entry: the asset's command for a Docker build.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface BundleFigure {
  name: FunctionName;
  file: string;
  bytes: number;
  budget: number;
  metafile: Metafile;
}

/** Builds one entry to `outfile` with the deployed options; returns the esbuild metafile. */
export async function bundleEntry(entry: string, outfile: string): Promise<Metafile> {
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build(lambdaBuildOptions(entry, outfile));
  if (!result.metafile) throw new Error(`no metafile for ${entry}`);
  return result.metafile;
}

/** Builds one function under `outdir/<name>/index.mjs` and measures it. */
export async function bundleFunction(name: FunctionName, outdir = join(root, 'dist')): Promise<BundleFigure> {
  const file = join(outdir, name, 'index.mjs');
  const metafile = await bundleEntry(join(root, functionEntry(name)), file);
  return { name, file, bytes: statSync(file).size, budget: BUNDLE_BUDGETS[name], metafile };
}

/** Bundles the public API handler to `outfile` and returns its size in bytes. */
export async function bundlePublicApi(outfile = join(root, 'dist/public-api/index.mjs')): Promise<number> {
  await bundleEntry(join(root, functionEntry('public-api')), outfile);
  return statSync(outfile).size;
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** One line per function: size, budget, and the share of the budget used. */
export function budgetLine(f: Pick<BundleFigure, 'name' | 'bytes' | 'budget'>): string {
  const verdict = f.bytes <= f.budget ? 'ok' : 'OVER BUDGET';
  return `${f.name.padEnd(15)} ${kib(f.bytes).padStart(11)}  budget ${kib(f.budget).padStart(11)}  ${((f.bytes / f.budget) * 100).toFixed(0).padStart(3)}%  ${verdict}`;
}

/** The largest packages of a bundle, by bytes in the output. */
export function largestInputs(metafile: Metafile, count = 5): string {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path)?.[1] ?? 'service code';
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([pkg, bytes]) => `${pkg} ${kib(bytes)}`)
    .join(', ');
}

async function main(argv: string[]) {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const all = flag('--all');
  if (all) {
    await Promise.all(FUNCTION_NAMES.map((name) => bundleFunction(name, resolve(all))));
    return;
  }
  const entry = flag('--entry');
  const outfile = flag('--outfile');
  if (entry || outfile) {
    if (!entry || !outfile) throw new Error('--entry and --outfile go together');
    await bundleEntry(resolve(entry), resolve(outfile));
    return;
  }
  const wanted = argv.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !(FUNCTION_NAMES as readonly string[]).includes(w));
  if (unknown.length > 0)
    throw new Error(`unknown function ${unknown.join(', ')}; one of ${FUNCTION_NAMES.join(', ')}`);
  const names = wanted.length > 0 ? (wanted as FunctionName[]) : [...FUNCTION_NAMES];
  console.log('Lambda bundles (esbuild, ESM, node22, minified, no source map; @aws-sdk/* from the runtime):');
  let over = 0;
  for (const name of names) {
    const figure = await bundleFunction(name);
    if (figure.bytes > figure.budget) over++;
    console.log(`  ${budgetLine(figure)}`);
    console.log(`  ${''.padEnd(15)} largest: ${largestInputs(figure.metafile)}`);
  }
  if (over > 0) {
    console.error(`${over} bundle(s) over budget`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
