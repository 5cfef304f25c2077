import { calendarFrom } from '#shared/bootstrap.ts';
import { METRES_PER_DEGREE, roundCoordinate } from '#shared/domain/geo.ts';
import { procedureNamed } from '#shared/domain/procedures.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import { rulebook } from '#shared/domain/rules.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { searchInstitutions } from '#shared/http/public/search.ts';
import { buildDemoData } from '#shared/local/demo.ts';
import type { SearchQuery } from '#shared/schemas/search.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { profileItem } from '#shared/store/institution-writer.ts';
import { keys } from '#shared/store/keys.ts';
import { RegisterIndexSource } from '#shared/store/register-index.ts';
import { RECENT_CHANGES, registerRowItem } from '#shared/store/register-rows.ts';
import { memoryTable, type ReadRecord } from './memory-table.ts';
import { syntheticRows } from './synthetic-register.ts';

/**
 * Near-me search as the register grows (`npm run bench -- near-me`): read units and latency per
 * query, with the detail floor (one GetItem of a profile, what the detail page costs) measured in
 * the same run. The public search runs over the in-memory table (`memory-table.ts`), whose units come
 * from the items' real sizes. The demo register's positions spread over each district; the copies
 * that make up the larger registers are moved up to 1 km from their original, so density grows with
 * the register as it would. `BENCH_NEAR_SIZES` chooses the sizes (default 1000,10000,100000).
 */
const SIZES = (process.env.BENCH_NEAR_SIZES ?? '1000,10000,100000').split(',').map(Number);
const TABLE = 'near-me';
const SECRET = 'bench-cursor-secret-0123456789';
const TODAY = '2026-11-23';

interface Figures {
  count: number;
  placed: number;
  unitsPerQuery: number;
  readsPerQuery: string;
  near: { median: number; p95: number };
  examined: number;
  detailUnits: number;
  detail: { median: number; p95: number };
  queries: number;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

/** Rows `i ≥ base.length` are copies: each is moved a deterministic distance of up to 1 km. */
function jittered(rows: RegisterRow[], originals: number): RegisterRow[] {
  return rows.map((r, i) => {
    if (i < originals || !r.location) return r;
    const d = 1000 * (((i * 7919) % 1000) / 1000);
    const a = ((i * 104729) % 360) * (Math.PI / 180);
    const lat = r.location.lat + (d * Math.cos(a)) / METRES_PER_DEGREE;
    const lng = r.location.lng + (d * Math.sin(a)) / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
    return { ...r, location: { lat: roundCoordinate(lat), lng: roundCoordinate(lng) } };
  });
}

/** A visitor's near-me queries around each district seat: the default radius alone and with filters, and the widest. */
function nearQueries(): SearchQuery[] {
  const centres = rulebook()
    .districts.map((d) => d.centre)
    .filter((c) => c !== undefined);
  const breast = procedureNamed('隆乳');
  return centres.flatMap((c) => {
    const near = { lat: c.lat, lng: c.lng };
    return [
      { near, limit: 20 },
      { near, radius: 3000, procedure: breast, limit: 20 },
      { near, radius: 10_000, grade: 'A' as const, limit: 20 },
      { near, radius: 50_000, limit: 20 },
    ];
  });
}

async function measure(
  count: number,
  base: RegisterRow[],
  profiles: Record<string, unknown>[],
): Promise<Figures> {
  const rows = jittered(syntheticRows(count, base), base.length);
  const v = 1000;
  const recent = rows.slice(0, RECENT_CHANGES).map((r, i) => ({ s: v - RECENT_CHANGES + 1 + i, u: r.uscc }));
  const table = memoryTable([
    ...rows.map(registerRowItem),
    ...profiles,
    { ...keys.registerVersion, v, recent },
  ]);
  const reader = new InstitutionReader(table.client, TABLE);
  const register = new RegisterIndexSource(reader.rows);
  const queries = nearQueries();
  const trace = { queries: 0, getItems: 0, examined: 0 };
  await searchInstitutions(reader, register, SECRET, queries[0] as SearchQuery);

  const rounds = count >= 100_000 ? 1 : count >= 10_000 ? 3 : 10;
  const nearTimes: number[] = [];
  const mark = table.reads.length;
  for (let round = 0; round < rounds; round++) {
    for (const q of queries) {
      const t = performance.now();
      await searchInstitutions(reader, register, SECRET, q, trace);
      nearTimes.push(performance.now() - t);
    }
  }
  const reads: ReadRecord[] = table.reads.slice(mark);
  const perQuery = nearTimes.length;

  const usccs = profiles.map((p) => String(p.uscc));
  const detailTimes: number[] = [];
  const detailMark = table.reads.length;
  for (let round = 0; round < rounds; round++) {
    for (const uscc of usccs.slice(0, queries.length)) {
      const t = performance.now();
      await reader.getProfile(uscc);
      detailTimes.push(performance.now() - t);
    }
  }
  const detailReads = table.reads.slice(detailMark);
  nearTimes.sort((a, b) => a - b);
  detailTimes.sort((a, b) => a - b);
  const commands = [...new Set(reads.map((r) => r.command))];
  return {
    count,
    placed: rows.filter((r) => r.location).length,
    unitsPerQuery: reads.reduce((n, r) => n + r.units, 0) / perQuery,
    readsPerQuery: commands
      .map((c) => `${reads.filter((r) => r.command === c).length / perQuery} ${c}`)
      .join(' + '),
    near: { median: quantile(nearTimes, 0.5), p95: quantile(nearTimes, 0.95) },
    examined: trace.examined / perQuery,
    detailUnits: detailReads.reduce((n, r) => n + r.units, 0) / detailReads.length,
    detail: { median: quantile(detailTimes, 0.5), p95: quantile(detailTimes, 0.95) },
    queries: perQuery,
  };
}

export async function run(sizes: readonly number[] = SIZES) {
  const started = performance.now();
  const demo = buildDemoData({
    count: Math.min(10_000, Math.max(...sizes)),
    today: TODAY,
    calendar: calendarFrom({}),
  });
  const base = demo.profiles.map(registerRowOf);
  const profiles = demo.profiles.slice(0, 50).map(profileItem);
  const figures: Figures[] = [];
  for (const n of sizes) figures.push(await measure(n, base, profiles));
  const w = 26;
  const cell = (s: string) => s.padStart(w);
  console.log(
    '\n-- near-me search (near=lat,lng; default 3 km, 3 km + procedure=隆乳, 10 km + grade=A, 50 km; around each district seat) against the detail floor',
  );
  const line = (label: string, pick: (f: Figures) => string) =>
    console.log(`  ${label.padEnd(34)}${figures.map((f) => cell(pick(f))).join('')}`);
  line('', (f) => `${f.count.toLocaleString('en')} institutions`);
  line('placed institutions', (f) => f.placed.toLocaleString('en'));
  line('near-me read units per query', (f) => `${f.unitsPerQuery.toFixed(2)} RCU`);
  line('  reads', (f) => f.readsPerQuery);
  line('  rows measured per query', (f) => f.examined.toFixed(0));
  line('near-me median / p95', (f) => `${f.near.median.toFixed(2)} / ${f.near.p95.toFixed(2)} ms`);
  line('detail floor read units', (f) => `${f.detailUnits.toFixed(2)} RCU`);
  line('detail floor median / p95', (f) => `${f.detail.median.toFixed(3)} / ${f.detail.p95.toFixed(3)} ms`);
  line('queries timed', (f) => String(f.queries));
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s for this table)`);
}
