import { calendarFrom } from '#shared/bootstrap.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { MemorySnapshotStore, packSnapshot } from '#shared/exports/register-snapshot-store.ts';
import { searchInstitutions } from '#shared/http/public/search.ts';
import { buildDemoData } from '#shared/local/demo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { keys } from '#shared/store/keys.ts';
import { RegisterIndexSource } from '#shared/store/register-index.ts';
import { RECENT_CHANGES, registerRowItem } from '#shared/store/register-rows.ts';
import { memoryTable } from './memory-table.ts';
import { syntheticRows } from './synthetic-register.ts';

/**
 * `npm run bench -- register-snapshot`: what a cold public instance reads and how long it takes to its
 * first search answer, per register size, walking the rows (before) and loading the snapshot (after),
 * beside the floor (one GetItem) timed on the same in-memory table in the same run. The snapshot's GET
 * is answered from memory: add S3's first-byte latency for a real one. `BENCH_SNAPSHOT_SIZES` chooses
 * the sizes (default 1000,10000,100000); each figure is the median of `BENCH_SNAPSHOT_ROUNDS` (3).
 */
const SIZES = (process.env.BENCH_SNAPSHOT_SIZES ?? '1000,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_SNAPSHOT_ROUNDS ?? 3);
const SECRET = 'bench-cursor-secret-0123456789';

interface Cold {
  units: number;
  calls: number;
  what: string;
  ms: number;
}

export interface SnapshotFigures {
  count: number;
  bytes: number;
  floorMs: number;
  walk: Cold;
  snapshot: Cold;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

async function measure(count: number, base: RegisterRow[]): Promise<SnapshotFigures> {
  const rows = syntheticRows(count, base);
  const v = 1000;
  const recent = rows.slice(0, RECENT_CHANGES).map((r, i) => ({ s: v - RECENT_CHANGES + 1 + i, u: r.uscc }));
  const table = memoryTable([...rows.map(registerRowItem), { ...keys.registerVersion, v, recent }]);
  const reader = new InstitutionReader(table.client, 'bench');
  const store = new MemorySnapshotStore();
  store.bytes = packSnapshot(v, rows, new Date());
  const q = (rows[Math.floor(count / 2)] as RegisterRow).name.slice(2, 4);

  const floor: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await reader.rows.version();
    floor.push(performance.now() - t);
  }

  const cold = async (withSnapshot: boolean): Promise<Cold> => {
    const times: number[] = [];
    let last: Cold = { units: 0, calls: 0, what: '', ms: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const mark = table.reads.length;
      const gets = store.reads;
      const t = performance.now();
      const register = new RegisterIndexSource(reader.rows, withSnapshot ? { snapshot: store } : {});
      const page = await searchInstitutions(reader, register, SECRET, { q, limit: 20 });
      times.push(performance.now() - t);
      if (page.items.length === 0) throw new Error(`no answer for ${q}`);
      const reads = table.reads.slice(mark);
      const byCommand = new Map<string, number>();
      for (const r of reads) byCommand.set(r.command, (byCommand.get(r.command) ?? 0) + 1);
      const s3 = store.reads - gets;
      last = {
        units: reads.reduce((n, r) => n + r.units, 0),
        calls: reads.length + s3,
        what: [...[...byCommand].map(([c, n]) => `${n} ${c}`), ...(s3 ? [`${s3} S3 GET`] : [])].join(' + '),
        ms: 0,
      };
    }
    return { ...last, ms: median(times) };
  };
  return {
    count,
    bytes: store.bytes.byteLength,
    floorMs: median(floor),
    walk: await cold(false),
    snapshot: await cold(true),
  };
}

export async function printRegisterSnapshot(sizes: readonly number[] = SIZES): Promise<SnapshotFigures[]> {
  const base = buildDemoData({
    count: Math.min(2000, Math.max(...sizes)),
    today: '2026-11-23',
    calendar: calendarFrom({}),
  }).profiles.map(registerRowOf);
  const figures: SnapshotFigures[] = [];
  for (const n of sizes) figures.push(await measure(n, base));
  const w = 36;
  console.log(
    `\n-- a cold public instance's first search answer (in-memory table; median of ${ROUNDS}; machine shared, figures noisy)`,
  );
  console.log(
    `  ${''.padEnd(30)}${figures.map((f) => `${f.count.toLocaleString('en')} institutions`.padStart(w)).join('')}`,
  );
  const line = (label: string, pick: (f: SnapshotFigures) => string) =>
    console.log(`  ${label.padEnd(30)}${figures.map((f) => pick(f).padStart(w)).join('')}`);
  line('floor: one GetItem', (f) => `${f.floorMs.toFixed(2)} ms`);
  line('snapshot size', (f) => `${(f.bytes / 1024).toFixed(0)} KiB`);
  for (const [label, pick] of [
    ['before: walk the rows', (f: SnapshotFigures) => f.walk],
    ['after: snapshot + version item', (f: SnapshotFigures) => f.snapshot],
  ] as const) {
    line(label, (f) => `${pick(f).units.toFixed(1)} RCU, ${pick(f).calls} calls`);
    line('  calls', (f) => pick(f).what);
    line('  ms to first answer', (f) => `${pick(f).ms.toFixed(0)} ms`);
  }
  const first = figures[0];
  const lastF = figures[figures.length - 1];
  if (first && lastF && lastF !== first) {
    const ratio = lastF.snapshot.ms / first.snapshot.ms;
    const flat = figures.every((f) => f.snapshot.units <= 2);
    console.log(
      `  goal: read units ≤ 2 + the GET at every size: ${flat ? 'met' : 'missed'}; time at ${lastF.count / 1000}k ≤ 2× time at ${first.count / 1000}k: ${ratio.toFixed(1)}× (${ratio <= 2 ? 'met' : 'missed'})`,
    );
  }
  return figures;
}

export async function run() {
  await printRegisterSnapshot();
}
