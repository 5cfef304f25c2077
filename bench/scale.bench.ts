import { calendarFrom } from '#shared/bootstrap.ts';
import { fixedClock } from '#shared/clock.ts';
import { loadConfig } from '#shared/config.ts';
import { tallyKey, tallyOf } from '#shared/domain/register-tally.ts';
import { SearchIndex } from '#shared/domain/search-index.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { statsFromTally } from '#shared/http/public/stats.ts';
import { gradesCsv } from '#shared/jobs/grades-export.ts';
import { batchPut, buildDemoData, type DemoData } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { profileItem } from '#shared/store/institution-writer.ts';
import { keys } from '#shared/store/keys.ts';
import { RegisterIndexSource } from '#shared/store/register-index.ts';
import { RegisterRows, registerRowItem } from '#shared/store/register-rows.ts';
import { RegisterTallyStore } from '#shared/store/register-tally.ts';
import { benchEnv } from './bench-env.ts';
import { syntheticRows } from './synthetic-register.ts';

/**
 * Per-request DynamoDB cost of the public reads as the register grows (calls and read units as
 * DynamoDB charges them, eventually consistent), and the in-memory search's time. `BENCH_SCALE` lists
 * the DynamoDB sizes (default 1000,10000,50000); `BENCH_MEMORY` the sizes of the in-memory search alone
 * (default 1000,10000,100000, built from synthetic rows without DynamoDB).
 */
const SIZES = (process.env.BENCH_SCALE ?? '1000,10000,50000').split(',').map(Number);
const MEMORY_SIZES = (process.env.BENCH_MEMORY ?? '1000,10000,100000').split(',').map(Number);
/** Profiles loaded at every size: a detail read is one GetItem by key whatever else the table holds. */
const PROFILES = 200;
const NOW = '2026-11-23T10:00:00+08:00';
const QUERIES = ['h', 'hangzhou', 'xihu', 'qtly', 'xhmr', '医疗美容', '美'];

const env = (endpoint: string) => ({ ...benchEnv('scale', endpoint), NOW });

const demo = (count: number): DemoData =>
  buildDemoData({ count, today: NOW.slice(0, 10), calendar: calendarFrom({}) });

/**
 * What the public reads need, loaded directly with parallel batch writes: every register row (marked
 * as counted), the version and tally items, and a sample of profiles. Results, events and private
 * items are left out: no public read measured here touches them.
 */
async function loadRegister(db: ReturnType<typeof createDocumentClient>, table: string, data: DemoData) {
  const rows = data.profiles.map(registerRowOf);
  const items: Record<string, unknown>[] = rows.map((row) => ({
    ...registerRowItem(row),
    counted: tallyKey(row),
    countedRev: 0,
  }));
  items.push(...data.profiles.slice(0, PROFILES).map(profileItem));
  items.push({ ...keys.registerVersion, v: 1, recent: [] });
  items.push({ ...keys.registerTally, rev: 1, tally: tallyOf(rows), pending: [], v: 1 });
  await batchPut(db, table, items, 16);
  return rows;
}

const cell = (s: string | number, w: number) => String(s).padStart(w);

async function size(count: number) {
  const t0 = performance.now();
  const data = demo(count);
  const generated = performance.now();
  const dynamo = await startLocalDynamo();
  const config = loadConfig(env(dynamo.endpoint));
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: dynamo.endpoint });
  await ensureTable(db as never, config.TABLE_NAME);
  const rowsLoaded = await loadRegister(db, config.TABLE_NAME, data);
  const loaded = performance.now();
  console.log(
    `\n-- ${count} institutions: generated in ${((generated - t0) / 1000).toFixed(1)} s, ` +
      `loaded in ${((loaded - generated) / 1000).toFixed(1)} s`,
  );

  let calls = 0;
  let units = 0;
  const opts = {
    onCapacity: (u: number) => {
      calls++;
      units += u;
    },
  };
  const measure = async (label: string, what: () => Promise<unknown>) => {
    calls = 0;
    units = 0;
    const t = performance.now();
    await what();
    const ms = performance.now() - t;
    console.log(
      `  ${label.padEnd(52)} ${cell(calls, 4)} calls ${cell(units.toFixed(1), 8)} RCU ${cell(ms.toFixed(1), 8)} ms`,
    );
  };
  const reader = new InstitutionReader(db, config.TABLE_NAME, opts);
  const rows = new RegisterRows(db, config.TABLE_NAME, opts);
  const register = new RegisterIndexSource(rows);
  const tally = new RegisterTallyStore(db, config.TABLE_NAME, rows, opts);
  const clock = fixedClock(NOW);
  const sample = data.profiles[7] as (typeof data.profiles)[number];

  await measure('detail (GetItem of the profile)', () => reader.getProfile(sample.uscc));
  await measure('search, cold instance: every register row (once)', () => register.current());
  const index = await register.current();
  for (const q of [...QUERIES, sample.name]) {
    await measure(`search q=${q.slice(0, 14)} (warm: version item)`, async () => {
      (await register.current()).search({ query: q, filter: {}, limit: 20, after: null });
    });
  }
  await measure('stats (the tally item)', async () => statsFromTally(await tally.tally(), clock));
  const page = data.profiles.slice(0, 50).map((p) => p.uscc);
  await measure('publicity/Atom names for 50 items (BatchGet)', () => reader.rows.getMany(page, false));
  console.log('  export request: CloudFront from S3, or a 302 to S3 (0 DynamoDB reads, no function body)');
  let bytes = 0;
  await measure('export job, off the request path (full walk)', async () => {
    bytes = Buffer.byteLength(gradesCsv(await rows.all(), clock.today()));
  });
  console.log(
    `  grades.csv ${(bytes / 1024 / 1024).toFixed(2)} MB; index holds ${index.size} of ${rowsLoaded.length} rows`,
  );
  db.destroy();
  await dynamo.close();
}

/** CPU time of a search, the median of several runs (the machine's other load inflates wall time). */
function cpuMs(what: () => void): number {
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = process.cpuUsage();
    what();
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / 1000);
  }
  return runs.sort((a, b) => a - b)[3] as number;
}

function memory(sizes: number[]) {
  const base = demo(Math.min(10_000, Math.max(...sizes))).profiles.map(registerRowOf);
  console.log('\n-- in-memory search alone (synthetic rows, no DynamoDB); each search still reads the');
  console.log('   version item, 1 GetItem = 0.5 RCU, whatever the size');
  console.log(`  ${'query'.padEnd(16)}${sizes.map((n) => cell(`${n} rows`, 22)).join('')}`);
  const indexes = sizes.map((n) => {
    const t = performance.now();
    const index = new SearchIndex(syntheticRows(n, base));
    index.search({ query: 'warm', filter: {}, limit: 20, after: null });
    return { index, built: performance.now() - t };
  });
  console.log(
    `  ${'(build)'.padEnd(16)}${indexes.map((i) => cell(`${i.built.toFixed(0)} ms`, 22)).join('')}`,
  );
  for (const q of [...QUERIES, base[7]?.name ?? '']) {
    const figures = indexes.map(({ index }) => {
      const page = index.search({ query: q, filter: {}, limit: 20, after: null });
      const ms = cpuMs(() => index.search({ query: q, filter: {}, limit: 20, after: null }));
      return cell(`${ms.toFixed(2)} ms ${page.examined} ex`, 22);
    });
    console.log(`  ${q.slice(0, 14).padEnd(16)}${figures.join('')}`);
  }
}

export async function run() {
  for (const n of SIZES) await size(n);
  memory(MEMORY_SIZES);
}
