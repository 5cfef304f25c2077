import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { buildPublicDeps, calendarFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createPublicApp } from '#shared/http/app.ts';
import { type SearchTrace, searchInstitutions } from '#shared/http/public/search.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { RegisterIndexSource } from '#shared/store/register-index.ts';
import { FUNCTION_NAMES } from '../infra/bundling.ts';
import { budgetLine, bundleFunction, kib, lambdaBuildOptions } from '../scripts/bundle.ts';
import { printAppCpu } from './app-cpu.ts';
import { benchEnv } from './bench-env.ts';
import { printCostModel } from './cost-model.ts';
import { floorApp, visitorQueries } from './public-floor.ts';
import { printSearchReads } from './search-reads.bench.ts';

/**
 * The public lookup's figures: throughput and latency of search and detail next to a bare Hono route
 * in the same process (the ratio is the figure; absolute numbers depend on the machine), read units
 * per request as DynamoDB would charge them, and the public Lambda bundle's size and cold import time.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Seconds of each autocannon run; every route runs once per round, the rounds interleaved. */
const DURATION = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** What the summary of `npm run bench` prints. */
export interface LookupFigures {
  count: number;
  /** Requests per second, averaged over the rounds. */
  rps: { hello: number; floor: number; detail: number; search: number };
  /** Detail and search against the bare GetItem route: the median of the rounds' ratios. */
  ratios: { detail: number; search: number };
  /** The same from process CPU per answer: what the ratios would be on a core of their own. */
  cpuRatios: { detail: number; search: number };
  detailRcu: number;
  searchRcu: number;
}

export interface BundleFigures {
  floorMs: number;
  functions: Array<{
    line: string;
    name: string;
    bytes: number;
    budget: number;
    coldMs: number | null;
    /** Median of the cold imports' ratios to the floor's, measured alternately. */
    coldRatio: number | null;
  }>;
}

const env = (endpoint: string) => benchEnv('bench', endpoint);

async function listen(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<ServerType & { url: string }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/**
 * One autocannon run. Besides throughput, the process CPU per answered request: server, database and
 * load generator share this one process, so it is what the route costs whatever else the machine runs.
 */
async function cannon(url: string, paths: string[]) {
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url,
    connections: 10,
    duration: DURATION,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers from ${paths[0]}`);
  const used = process.cpuUsage(cpu);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: (used.user + used.system) / Math.max(1, result.requests.total),
  };
}

const fmt = (r: { rps: number; p50: number; p99: number }, hello: number) =>
  `${r.rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  (${((r.rps / hello) * 100).toFixed(0)}% of hello)`;

export async function dataset(count: number): Promise<LookupFigures> {
  const dynamo = await startLocalDynamo();
  const config = loadConfig(env(dynamo.endpoint));
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: dynamo.endpoint });
  await ensureTable(db as never, config.TABLE_NAME);
  const deps = buildPublicDeps(config, db);
  const started = performance.now();
  const data = buildDemoData({ count, today: deps.clock.today(), calendar: calendarFrom(config) });
  await loadDemoData(db, config.TABLE_NAME, data);
  console.log(
    `\n-- ${count} institutions (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );

  const sample = data.profiles[7]!;
  const queries = visitorQueries(sample);

  let units = 0;
  let calls = 0;
  const reader = new InstitutionReader(db, config.TABLE_NAME, {
    onCapacity: (u) => {
      units += u;
      calls++;
    },
  });
  // A warm register whose reads are counted: a search then reads its version item only.
  const tracked = new RegisterIndexSource(reader.rows);
  await tracked.current();
  console.log('read cost (eventually consistent read units, as DynamoDB charges them):');
  let searchUnits = 0;
  for (const q of queries) {
    units = 0;
    calls = 0;
    const trace: SearchTrace = { queries: 0, getItems: 0, examined: 0 };
    const page = await searchInstitutions(reader, tracked, config.CURSOR_SECRET, { q, limit: 20 }, trace);
    searchUnits += units;
    console.log(
      `  search q=${q.padEnd(10)} ${calls} GetItem (register version), ${trace.queries} Query, ${units.toFixed(1).padStart(4)} RCU, ${page.items.length} items`,
    );
  }
  units = 0;
  calls = 0;
  await reader.getProfile(sample.uscc);
  const detailUnits = units;
  console.log(`  detail          ${calls} GetItem, ${units.toFixed(1).padStart(4)} RCU`);

  const app = createPublicApp(deps, { error: () => {} });
  const api = await listen(app.fetch);
  // The floor: a bare Hono route doing one GetItem of the same profile on the same database.
  const hello = await listen(floorApp(db, config.TABLE_NAME).fetch);
  const usccs = data.profiles.slice(0, 50).map((p) => p.uscc);
  const runs = {
    hello: () => cannon(hello.url, ['/hello']),
    floor: () =>
      cannon(
        hello.url,
        usccs.map((u) => `/floor/${u}`),
      ),
    detail: () =>
      cannon(
        api.url,
        usccs.map((u) => `/v1/institutions/${u}`),
      ),
    search: () =>
      cannon(
        api.url,
        queries.map((q) => `/v1/institutions?q=${encodeURIComponent(q)}`),
      ),
  };
  // Warm-up, so the first measured run is not the one that pays for JIT compilation.
  for (const go of Object.values(runs)) await go();
  // Rounds of every route in turn: a change in the machine's load falls on all of them alike.
  const totals = { hello: emptyRun(), floor: emptyRun(), detail: emptyRun(), search: emptyRun() };
  const perRound: Array<{ detail: number; search: number }> = [];
  const perRoundCpu: Array<{ detail: number; search: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const r = {} as Record<keyof typeof runs, Run>;
    const order = ['hello', 'floor', 'detail', 'search'] as const;
    // Every other round in reverse order, so that no route always follows the same one.
    for (const name of round % 2 ? [...order].reverse() : order) {
      r[name] = await runs[name]();
      addRun(totals[name], r[name]);
    }
    perRound.push({ detail: r.detail.rps / r.floor.rps, search: r.search.rps / r.floor.rps });
    perRoundCpu.push({ detail: r.floor.cpuUs / r.detail.cpuUs, search: r.floor.cpuUs / r.search.cpuUs });
  }
  // The median of the rounds' ratios: one round disturbed by other work on the machine does not move it.
  const ratios = {
    detail: median(perRound.map((r) => r.detail)),
    search: median(perRound.map((r) => r.search)),
  };
  // Requests per CPU-second against the floor's: the throughput ratio the routes would have on a core
  // of their own, which other work on a shared machine does not sway.
  const cpuRatios = {
    detail: median(perRoundCpu.map((r) => r.detail)),
    search: median(perRoundCpu.map((r) => r.search)),
  };
  const spread = (k: 'detail' | 'search') =>
    `median of ${ROUNDS} rounds, ${Math.min(...perRound.map((r) => r[k])).toFixed(2)}–${Math.max(...perRound.map((r) => r[k])).toFixed(2)}`;
  const h = totals.hello;
  const floor = totals.floor;
  console.log(
    `throughput (autocannon, 10 connections, ${ROUNDS} interleaved rounds of ${DURATION} s per route):`,
  );
  console.log(`  hello  ${fmt(h, h.rps)}`);
  console.log(`  floor  ${fmt(floor, h.rps)}  (bare Hono route, one GetItem)`);
  console.log(
    `  search ${fmt(totals.search, h.rps)}  ${ratios.search.toFixed(2)}× the GetItem floor (${spread('search')}; goal ≥ 0.5×)`,
  );
  console.log(
    `  detail ${fmt(totals.detail, h.rps)}  ${ratios.detail.toFixed(2)}× the GetItem floor (${spread('detail')}; goal ≥ 0.9×)`,
  );
  console.log(
    `  per CPU-second (process CPU per answer, median of ${ROUNDS} rounds): floor ${(totals.floor.cpuUs / 1000).toFixed(2)} ms, detail ${cpuRatios.detail.toFixed(2)}× the floor's throughput, search ${cpuRatios.search.toFixed(2)}×`,
  );
  const figures: LookupFigures = {
    count,
    rps: { hello: h.rps, floor: floor.rps, detail: totals.detail.rps, search: totals.search.rps },
    ratios,
    cpuRatios,
    detailRcu: detailUnits,
    searchRcu: searchUnits / queries.length,
  };
  for (const server of [api, hello]) {
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((r) => server.close(r));
  }
  // Let requests autocannon abandoned at the deadline finish before the database goes away.
  await new Promise((r) => setTimeout(r, 1000));
  db.destroy();
  await dynamo.close();
  return figures;
}

type Run = Awaited<ReturnType<typeof cannon>>;
const emptyRun = (): Run => ({ rps: 0, p50: 0, p99: 0, cpuUs: 0 });
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
/** Averages throughput over the rounds; keeps the worst p50 and p99 seen. */
function addRun(total: Run, r: Run) {
  total.rps += r.rps / ROUNDS;
  total.p50 = Math.max(total.p50, r.p50);
  total.p99 = Math.max(total.p99, r.p99);
  total.cpuUs += r.cpuUs / ROUNDS;
}

/** Wall time of `import()` of a bundle in a fresh Node process. */
function coldImport(file: string, environment: Record<string, string>): number {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`,
    ],
    { env: { ...process.env, ...environment }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return Number(out.trim());
}

/** Floor and bundle imports alternated per function: a single pair swings by a fifth on a busy machine. */
const COLD_PAIRS = 9;

/**
 * A bundle's cold import against the floor's, alternated COLD_PAIRS times: the ratio is the median of
 * the pairs', so a change in the machine's load between two functions does not move it.
 */
function coldAgainstFloor(file: string, floorFile: string, environment: Record<string, string>) {
  const pairs: Array<{ ms: number; floor: number }> = [];
  for (let i = 0; i < COLD_PAIRS; i++) {
    const floor = coldImport(floorFile, environment);
    pairs.push({ ms: coldImport(file, environment), floor });
  }
  return {
    ms: median(pairs.map((p) => p.ms)),
    floorMs: median(pairs.map((p) => p.floor)),
    ratio: median(pairs.map((p) => p.ms / p.floor)),
  };
}

/** The floor of a cold start: Hono and the DynamoDB document client, nothing of the service. */
const FLOOR_SOURCE = [
  "import { Hono } from 'hono';",
  "import { handle } from 'hono/aws-lambda';",
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
  "const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));",
  "export const handler = handle(new Hono().get('/:id', async (c) => c.json((await db.send(new GetCommand({ TableName: 't', Key: { pk: c.req.param('id') } }))).Item ?? null)));",
].join('\n');

/** Environment every handler reads at init (topics and secrets are never called here). */
const handlerEnv = (endpoint: string) => ({
  ...env(endpoint),
  NOTICES_TOPIC_ARN: 'arn:aws:sns:cn-north-1:123456789012:notices',
  FEED_TOPIC_ARN: 'arn:aws:sns:cn-north-1:123456789012:changes',
  WECHAT_SECRET_ARN: 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:wechat',
  SMS_SECRET_ARN: 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:sms',
  POWERTOOLS_SERVICE_NAME: 'bench',
});

export async function bundles(): Promise<BundleFigures> {
  const dir = join(root, 'dist/bench');
  mkdirSync(dir, { recursive: true });
  const floorFile = join(dir, 'floor.mjs');
  await build({
    ...lambdaBuildOptions('floor', floorFile),
    entryPoints: undefined,
    stdin: { contents: FLOOR_SOURCE, resolveDir: root, loader: 'ts' },
  });
  const environment = handlerEnv('http://127.0.0.1:1');
  const floorTimes = Array.from({ length: 5 }, () => coldImport(floorFile, environment));
  const floorMs = median(floorTimes);
  console.log(
    "\n-- bundles (the CDK's esbuild options, infra/bundling.ts) and module evaluation in a fresh Node process",
  );
  console.log(
    `  ${'floor'.padEnd(15)} ${kib(statSync(floorFile).size).padStart(11)}  Hono + DynamoDB document client   cold ${floorMs.toFixed(0).padStart(4)} ms`,
  );
  const functions: BundleFigures['functions'] = [];
  for (const name of FUNCTION_NAMES) {
    const f = await bundleFunction(name, dir);
    let cold = 'n/a';
    let coldMs: number | null = null;
    let coldRatio: number | null = null;
    try {
      const c = coldAgainstFloor(f.file, floorFile, environment);
      coldMs = c.ms;
      coldRatio = c.ratio;
      cold = `${c.ms.toFixed(0).padStart(4)} ms  ${c.ratio.toFixed(2)}× floor (floor ${c.floorMs.toFixed(0)} ms alongside)${name === 'public-api' ? ' (goal ≤ 1.5×)' : ''}`;
    } catch (err) {
      cold = `not measured (${String(err).split('\n')[0]})`;
    }
    const line = budgetLine(f);
    console.log(`  ${line}  cold ${cold}`);
    functions.push({ line, name, bytes: f.bytes, budget: f.budget, coldMs, coldRatio });
  }
  return { floorMs, functions };
}

/**
 * `npm run bench -- public-lookup`: the bundles, the app's CPU per request, throughput against the
 * floors on the demo register, the modelled cost, and the same floors on `BENCH_LARGE` institutions
 * when it is set (loading 10,000 into dynalite takes minutes).
 */
export async function run() {
  await summary();
  if (process.env.BENCH_LARGE) await dataset(Number(process.env.BENCH_LARGE));
}

/** Every figure of the public lookup, then one summary of them against their goals. */
export async function summary() {
  const b = await bundles();
  const cpu = await printAppCpu();
  const demo = await dataset(320);
  const reads = await printSearchReads();
  const cost = printCostModel({ detailRcu: demo.detailRcu, searchRcu: demo.searchRcu, appMs: cpu.appMs });
  const usd = (n: number) => `$${n.toFixed(2)}`;
  console.log('\n== summary ==');
  for (const f of b.functions) {
    const cold = f.coldRatio === null ? 'not measured' : `${f.coldRatio.toFixed(2)}× the floor`;
    console.log(`  ${f.line}  cold start ${cold}${f.name === 'public-api' ? ' (goal ≤ 1.5×)' : ''}`);
  }
  console.log(
    `  app CPU per request: detail ${cpu.us.detail.toFixed(0)} µs, search ${cpu.us.search.toFixed(0)} µs (bare GetItem route ${cpu.us.floor.toFixed(0)} µs, hello ${cpu.us.hello.toFixed(0)} µs)`,
  );
  console.log(
    `  throughput against the bare GetItem route (${demo.count} institutions): detail ${demo.ratios.detail.toFixed(2)}× (goal ≥ 0.9×), search ${demo.ratios.search.toFixed(2)}× (goal ≥ 0.5×); per CPU-second detail ${demo.cpuRatios.detail.toFixed(2)}×, search ${demo.cpuRatios.search.toFixed(2)}×`,
  );
  console.log(
    `  read units: detail ${demo.detailRcu.toFixed(1)} RCU, search ${demo.searchRcu.toFixed(1)} RCU (warm: the register version item)`,
  );
  for (const c of cost) {
    for (const name of ['detail', 'search'] as const) {
      const l = c[name];
      console.log(
        `  cost per million ${name} lookups, ${c.region}: origin alone ${usd(l.originAlone)} (${usd(l.originAloneViaApi)} through the HTTP API); through CloudFront and WAF no hits ${usd(l.uncached)} (goal ≤ $1.50), 90% hits ${usd(l.cdn90)} (goal ≤ $0.50; ${usd(l.edge)} of it the edge's fees on every request)`,
      );
    }
  }
  const sizes = reads.map((r) => `${r.count / 1000}k`).join('/');
  const warm = reads.map((r) => r.warm.units.toFixed(1)).join(' / ');
  const flat = reads.every((r) => r.warm.units === reads[0]?.warm.units);
  const at10k = reads.find((r) => r.count === 10_000);
  console.log(
    `  read units per search at ${sizes} institutions: warm ${warm} RCU (goal ≤ 2 at 10k${at10k ? `: ${at10k.warm.units <= 2 ? 'met' : 'missed'}` : ''}, flat: ${flat ? 'yes' : 'no'}); after one change ${reads.map((r) => r.afterChange.units.toFixed(1)).join(' / ')}; cold instance ${reads.map((r) => r.cold.units.toFixed(1)).join(' / ')}`,
  );
  console.log(
    `  in-memory search median / p95 at ${sizes}: ${reads.map((r) => `${r.latency.median.toFixed(2)} / ${r.latency.p95.toFixed(2)} ms`).join(', ')}`,
  );
  console.log(
    '  per request at 1k/10k/50k on dynalite (detail, stats, export, publicity names): `npm run bench -- scale` (loading 50k takes minutes)',
  );
}
