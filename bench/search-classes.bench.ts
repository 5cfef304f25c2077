import { calendarFrom } from '#shared/bootstrap.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import type { SearchIndex } from '#shared/domain/search-index.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { packSnapshot, unpackSnapshot } from '#shared/exports/register-snapshot-store.ts';
import { buildDemoData } from '#shared/local/demo.ts';
import { syntheticRows } from './synthetic-register.ts';

/**
 * `npm run bench -- search-classes`: the in-memory search's latency per query class at
 * `BENCH_CLASS_SIZE` institutions (default 100,000), over the index as a public instance holds it
 * (loaded from the register snapshot), each class a handful of queries made from rows spread over the
 * register. The first round meets each query cold (its lists and rows decoded then) and is printed
 * apart; then `BENCH_CLASS_ROUNDS` rounds (default 20): median and p99 per class against the 5 ms goal,
 * beside the floor (one Map lookup of a row) timed in the same run.
 */
const SIZE = Number(process.env.BENCH_CLASS_SIZE ?? 100_000);
const ROUNDS = Number(process.env.BENCH_CLASS_ROUNDS ?? 20);
const GOAL_MS = 5;
const SAMPLES = 8;

type Classes = Record<string, string[]>;

/** Queries of each class, made from `SAMPLES` rows spread over the register. */
export function classQueries(rows: readonly RegisterRow[]): Classes {
  const out: Classes = {
    'Latin substring': [],
    'Chinese substring': [],
    pinyin: [],
    initials: [],
    'exact name': [],
    uscc: [],
  };
  for (let i = 0; i < SAMPLES; i++) {
    const row = rows[Math.floor(((i + 0.5) * rows.length) / SAMPLES)] as RegisterRow;
    const syllables = (row.pinyin[0] ?? '').split(' ');
    const chars = Array.from(row.texts[0] ?? '');
    const initials = syllables.map((p) => p[0] ?? '').join('');
    out['Latin substring']?.push(syllables.slice(2, 4).join(''), syllables.slice(4, 8).join(''));
    out['Chinese substring']?.push(chars.slice(2, 4).join(''), chars.slice(4, 8).join(''));
    out.pinyin?.push(syllables.slice(0, 3).join(''));
    // Initials from the start, and scattered ones (the core's and the kind's: "xhmr").
    out.initials?.push(initials.slice(0, 4), `${initials.slice(2, 4)}${initials.slice(6, 8)}`);
    out['exact name']?.push(row.name);
    out.uscc?.push(row.uscc);
  }
  out['Latin substring']?.push('meirong', 'yiliao');
  out['Chinese substring']?.push('美容', '诊所');
  return out;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

export async function printSearchClasses(size = SIZE) {
  const base = buildDemoData({
    count: Math.min(2000, size),
    today: '2026-11-23',
    calendar: calendarFrom({}),
  }).profiles.map(registerRowOf);
  const rows = syntheticRows(size, base);
  const built = performance.now();
  const bytes = packSnapshot(1, rows, new Date());
  const buildMs = performance.now() - built;
  const loaded = performance.now();
  const index = unpackSnapshot(bytes).index;
  const loadMs = performance.now() - loaded;
  const classes = classQueries(rows);
  const blank = (): Record<string, number[]> => Object.fromEntries(Object.keys(classes).map((k) => [k, []]));
  const cold = blank();
  const times = blank();
  const cpu = blank();
  const floor: number[] = [];
  const probe = rows.map((r) => r.uscc);
  const search = (index: SearchIndex, name: string, query: string) =>
    index.search({ query, uscc: name === 'uscc' ? query : undefined, filter: {}, limit: 20, after: null });
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, queries] of Object.entries(classes)) {
      for (const query of queries) {
        const c = process.cpuUsage();
        const t = performance.now();
        search(index, name, query);
        (round === 0 ? cold : times)[name]?.push(performance.now() - t);
        const used = process.cpuUsage(c);
        if (round > 0) cpu[name]?.push((used.user + used.system) / 1000);
        const f = performance.now();
        index.get(probe[(round * 7919 + floor.length) % probe.length] as string);
        floor.push(performance.now() - f);
      }
    }
  }
  floor.sort((a, b) => a - b);
  console.log(
    `\n-- in-memory search per query class at ${size.toLocaleString('en')} institutions, loaded from the snapshot (${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB, packed in ${(buildMs / 1000).toFixed(1)} s, loaded in ${loadMs.toFixed(2)} ms); ${ROUNDS} rounds after a first, cold one; machine shared, figures noisy`,
  );
  console.log(`  floor (one uscc lookup): median ${quantile(floor, 0.5).toFixed(4)} ms`);
  console.log(
    '  wall clock per search, then CPU time per search (the process, GC included: what the search costs without the time the machine gave to other work)',
  );
  const summary: Array<{ name: string; median: number; p99: number; cpuP99: number; coldMax: number }> = [];
  for (const [name, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    const spent = (cpu[name] ?? []).sort((a, b) => a - b);
    const median = quantile(list, 0.5);
    const p99 = quantile(list, 0.99);
    const cpuP99 = quantile(spent, 0.99);
    const coldMax = Math.max(...(cold[name] ?? []));
    summary.push({ name, median, p99, cpuP99, coldMax });
    const verdict = (x: number) => (x <= GOAL_MS ? 'met' : 'missed');
    console.log(
      `  ${name.padEnd(18)} median ${median.toFixed(2).padStart(6)} ms  p99 ${p99.toFixed(2).padStart(6)} ms (${verdict(p99)})  CPU median ${quantile(spent, 0.5).toFixed(2).padStart(5)} ms  p99 ${cpuP99.toFixed(2).padStart(5)} ms (${verdict(cpuP99)}; goal p99 ≤ ${GOAL_MS} ms; ${list.length} searches)  first, cold: max ${coldMax.toFixed(0)} ms`,
    );
  }
  return { buildMs, summary };
}

export async function run() {
  await printSearchClasses();
}
