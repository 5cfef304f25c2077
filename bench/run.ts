import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench`: the performance figures in one run (bundles against budgets, cold starts, app CPU,
 * throughput against the floors, read units, read units and latency per search at 1k/10k/100k institutions,
 * modelled cost) and their summary; docs/performance.md.
 * `npm run bench -- NAME...` runs the `bench/*.bench.ts` whose names start so, and `-- all` every one,
 * one after another so they do not compete for the cores; each prints its own figures.
 */
const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
type Bench = { run?: () => Promise<void> };

if (wanted.length === 0) {
  const { summary } = await import('./public-lookup.bench.ts');
  await summary();
} else {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.includes('all') || wanted.some((w) => f.startsWith(w)))
    .sort();
  if (files.length === 0) {
    console.error(`no benchmark matches ${wanted.join(', ')}`);
    process.exit(2);
  }
  for (const file of files) {
    console.log(`\n=== ${file} ===`);
    const mod = (await import(pathToFileURL(join(here, file)).href)) as Bench;
    if (typeof mod.run !== 'function') throw new Error(`${file} must export run()`);
    await mod.run();
  }
}
