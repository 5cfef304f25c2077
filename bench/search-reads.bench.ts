import { calendarFrom } from '#shared/bootstrap.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import { registerRowOf, searchableTexts } from '#shared/domain/search-terms.ts';
import { searchInstitutions } from '#shared/http/public/search.ts';
import { buildDemoData } from '#shared/local/demo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { keys } from '#shared/store/keys.ts';
import { RegisterIndexSource } from '#shared/store/register-index.ts';
import { RECENT_CHANGES, registerRowItem } from '#shared/store/register-rows.ts';
import { memoryTable, type ReadRecord } from './memory-table.ts';
import { syntheticRows } from './synthetic-register.ts';

/**
 * Read units per search as the register grows, measured: the public search runs over the in-memory
 * table (`memory-table.ts`), which records every read it answers and the units DynamoDB would charge
 * from the items' real sizes (`read-units.ts`). Per size: a cold instance's first search, a warm
 * search (a mix of exact names, Chinese substrings, pinyin and initials), and the first search after
 * one institution changed; then the in-memory search's own latency over the same mix.
 * `BENCH_SEARCH_SIZES` chooses the sizes (default 1000,10000,100000).
 */
const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const TABLE = 'search-reads';
const SECRET = 'bench-cursor-secret-0123456789';
const TODAY = '2026-11-23';
/** Institutions the queries are taken from, spread over the register. */
const SAMPLES = 5;

export interface ReadCost {
  calls: number;
  units: number;
  /** e.g. "1 GetItem" or "1 GetItem + 1 BatchGetItem (1 item)". */
  what: string;
}

export interface SearchReadFigures {
  count: number;
  cold: ReadCost;
  /** Per search, averaged over the query mix, on a warm instance with nothing changed. */
  warm: ReadCost;
  afterChange: ReadCost;
  /** Milliseconds of the in-memory search alone over the same mix. */
  latency: { median: number; p95: number; searches: number };
  buildMs: number;
}

function costOf(reads: readonly ReadRecord[], per = 1): ReadCost {
  const counts = new Map<string, { calls: number; items: number }>();
  for (const r of reads) {
    const c = counts.get(r.command) ?? { calls: 0, items: 0 };
    c.calls++;
    c.items += r.items;
    counts.set(r.command, c);
  }
  const what = [...counts]
    .map(([cmd, c]) => {
      const calls = c.calls / per;
      const n = c.items / per;
      const items = cmd === 'GetItem' ? '' : ` (${n.toLocaleString('en')} item${n === 1 ? '' : 's'})`;
      return `${Number.isInteger(calls) ? calls : calls.toFixed(2)} ${cmd.replace('Item', '')}${items}`;
    })
    .join(' + ');
  return {
    calls: reads.length / per,
    units: reads.reduce((n, r) => n + r.units, 0) / per,
    what: what || 'none',
  };
}

/** What a visitor types: an exact name, two Chinese characters from inside it, its pinyin, its initials. */
export function typicalQueries(rows: readonly RegisterRow[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const row = rows[Math.floor(((i + 0.5) * rows.length) / SAMPLES)] as RegisterRow;
    const texts = searchableTexts(row.name, []);
    const chars = Array.from(row.name);
    out.push(
      row.name,
      chars.slice(2, 4).join(''),
      (texts.pinyin[0] ?? '').slice(0, 10),
      (texts.initials[0] ?? '').slice(0, 4),
    );
  }
  return out;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

async function measureSize(count: number, base: RegisterRow[]): Promise<SearchReadFigures> {
  const rows = syntheticRows(count, base);
  // The version item as a busy register keeps it: the last RECENT_CHANGES changes listed.
  const v = 1000;
  const recent = rows.slice(0, RECENT_CHANGES).map((r, i) => ({ s: v - RECENT_CHANGES + 1 + i, u: r.uscc }));
  const table = memoryTable([...rows.map(registerRowItem), { ...keys.registerVersion, v, recent }]);
  const reader = new InstitutionReader(table.client, TABLE);
  const register = new RegisterIndexSource(reader.rows);
  const queries = typicalQueries(rows);
  const search = (q: string) => searchInstitutions(reader, register, SECRET, { q, limit: 20 }, undefined);

  const since = (mark: number) => table.reads.slice(mark);
  let mark = table.reads.length;
  const built = performance.now();
  await search(queries[0] as string);
  const buildMs = performance.now() - built;
  const cold = costOf(since(mark));

  mark = table.reads.length;
  for (const q of queries) await search(q);
  const warm = costOf(since(mark), queries.length);

  // One institution changes: its row is rewritten and the version moves, as the writer does.
  const changed = rows[Math.floor(rows.length / 3)] as RegisterRow;
  table.put(registerRowItem({ ...changed, grade: changed.grade === 'A' ? 'B' : 'A', v: changed.v + 1 }));
  table.put({
    ...keys.registerVersion,
    v: v + 1,
    recent: [...recent.slice(1), { s: v + 1, u: changed.uscc }],
  });
  mark = table.reads.length;
  await search(queries[1] as string);
  const afterChange = costOf(since(mark));

  const index = await register.current();
  const times: number[] = [];
  const rounds = count >= 100_000 ? 3 : count >= 10_000 ? 10 : 30;
  for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      const t = performance.now();
      index.search({ query, filter: {}, limit: 20, after: null });
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return {
    count,
    cold,
    warm,
    afterChange,
    latency: { median: quantile(times, 0.5), p95: quantile(times, 0.95), searches: times.length },
    buildMs,
  };
}

const cell = (s: string, w: number) => s.padStart(w);
const rcu = (n: number) =>
  `${n.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 2 })} RCU`;

/** Measures and prints the read units and latency per search at each size. */
export async function printSearchReads(sizes: readonly number[] = SIZES): Promise<SearchReadFigures[]> {
  const started = performance.now();
  const base = buildDemoData({
    count: Math.min(10_000, Math.max(...sizes)),
    today: TODAY,
    calendar: calendarFrom({}),
  }).profiles.map(registerRowOf);
  const figures: SearchReadFigures[] = [];
  for (const n of sizes) figures.push(await measureSize(n, base));
  const w = 33;
  console.log(
    '\n-- read units per search (public search over the in-memory table; units from the items’ sizes as DynamoDB charges them, eventually consistent unless noted)',
  );
  console.log(
    `  ${''.padEnd(32)}${figures.map((f) => cell(`${f.count.toLocaleString('en')} institutions`, w)).join('')}`,
  );
  const line = (label: string, pick: (f: SearchReadFigures) => string) =>
    console.log(`  ${label.padEnd(32)}${figures.map((f) => cell(pick(f), w)).join('')}`);
  line(`warm search (mix of ${typicalQueries(base).length})`, (f) => rcu(f.warm.units));
  line('  reads', (f) => f.warm.what);
  line('first search after one change', (f) => rcu(f.afterChange.units));
  line('  reads (BatchGet consistent)', (f) => f.afterChange.what);
  line('cold instance, first search', (f) => rcu(f.cold.units));
  line('  reads', (f) => f.cold.what);
  line('  index build + first search', (f) =>
    f.buildMs < 1000 ? `${f.buildMs.toFixed(0)} ms` : `${(f.buildMs / 1000).toFixed(1)} s`,
  );
  line(
    'in-memory search median / p95',
    (f) => `${f.latency.median.toFixed(2)} / ${f.latency.p95.toFixed(2)} ms`,
  );
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s for this table)`);
  return figures;
}

export async function run() {
  await printSearchReads();
}
