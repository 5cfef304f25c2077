import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type ServerType, serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { Hono } from 'hono';
import { buildPublicDeps, calendarFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { searchableTexts } from '#shared/domain/search-terms.ts';
import { createPublicApp } from '#shared/http/app.ts';
import { type SearchTrace, searchInstitutions } from '#shared/http/public/search.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { keys } from '#shared/store/keys.ts';
import { FUNCTION_NAMES } from '../infra/bundling.ts';
import { budgetLine, bundleFunction, kib, lambdaBuildOptions } from '../scripts/bundle.ts';
import { printCostModel } from './cost-model.ts';

/**
 * The public lookup's figures: throughput and latency of search and detail next to a bare Hono route
 * in the same process (the ratio is the figure; absolute numbers depend on the machine), read units
 * per request as DynamoDB would charge them, and the public Lambda bundle's size and cold import time.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

const env = (endpoint: string) => ({
  TABLE_NAME: 'bench',
  DYNAMODB_ENDPOINT: endpoint,
  AWS_REGION: 'cn-north-1',
  PUBLIC_BASE_URL: 'https://credit.example.test',
  CURSOR_SECRET: 'bench-cursor-secret-0123456789',
  JWT_ISSUER: 'https://issuer.test',
  JWT_AUDIENCE: 'bench',
  JWT_SECRET: 'bench-only-secret-for-signing-local-tokens-0',
  STAGE: 'test',
  NOW: '2026-11-23T10:00:00+08:00',
});

async function listen(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<ServerType & { url: string }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

async function cannon(url: string, paths: string[]) {
  const result = await autocannon({
    url,
    connections: 10,
    duration: DURATION,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers from ${paths[0]}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const fmt = (r: { rps: number; p50: number; p99: number }, hello: number) =>
  `${r.rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  (${((r.rps / hello) * 100).toFixed(0)}% of hello)`;

async function dataset(count: number) {
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

  // Queries a visitor types: two characters, a name prefix, pinyin, initials, and a broad one.
  const sample = data.profiles[7]!;
  const texts = searchableTexts(sample.name, []);
  const queries = [
    Array.from(sample.name).slice(2, 4).join(''),
    Array.from(sample.name).slice(0, 4).join(''),
    texts.pinyin[0]!.slice(0, 8),
    texts.initials[0]!.slice(0, 4),
    '医疗美容',
  ];

  let units = 0;
  let calls = 0;
  const reader = new InstitutionReader(db, config.TABLE_NAME, {
    onCapacity: (u) => {
      units += u;
      calls++;
    },
  });
  console.log('read cost (eventually consistent read units, as DynamoDB charges them):');
  let searchUnits = 0;
  for (const q of queries) {
    units = 0;
    calls = 0;
    const trace: SearchTrace = { queries: 0, getItems: 0, examined: 0 };
    await deps.register.current();
    const page = await searchInstitutions(
      reader,
      deps.register,
      config.CURSOR_SECRET,
      { q, limit: 20 },
      trace,
    );
    searchUnits += units;
    console.log(
      `  search q=${q.padEnd(10)} ${trace.queries} Query, ${units.toFixed(1).padStart(4)} RCU, ${page.items.length} items`,
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
  const floorApp = new Hono()
    .get('/hello', (c) => c.text('hello'))
    .get('/floor/:uscc', async (c) => {
      const out = await db.send(
        new GetCommand({ TableName: config.TABLE_NAME, Key: keys.profile(c.req.param('uscc')) }),
      );
      return c.json(out.Item ?? null);
    });
  const hello = await listen(floorApp.fetch);
  // Warm-up, so the first measured run is not the one that pays for JIT compilation.
  await cannon(hello.url, ['/hello']);
  await cannon(api.url, [
    `/v1/institutions?q=${encodeURIComponent(queries[0]!)}`,
    `/v1/institutions/${sample.uscc}`,
  ]);
  const h = await cannon(hello.url, ['/hello']);
  const s = await cannon(
    api.url,
    queries.map((q) => `/v1/institutions?q=${encodeURIComponent(q)}`),
  );
  const d = await cannon(
    api.url,
    data.profiles.slice(0, 50).map((p) => `/v1/institutions/${p.uscc}`),
  );
  const floor = await cannon(
    hello.url,
    data.profiles.slice(0, 50).map((p) => `/floor/${p.uscc}`),
  );
  console.log(`  hello  ${fmt(h, h.rps)}`);
  console.log(`  floor  ${fmt(floor, h.rps)}  (bare Hono route, one GetItem)`);
  console.log(
    `  search ${fmt(s, h.rps)}  ${(s.rps / floor.rps).toFixed(2)}× the GetItem floor (goal ≥ 0.5×)`,
  );
  console.log(
    `  detail ${fmt(d, h.rps)}  ${(d.rps / floor.rps).toFixed(2)}× the GetItem floor (goal ≥ 0.9×)`,
  );
  printCostModel({ detailRcu: detailUnits, searchRcu: searchUnits / queries.length });
  for (const server of [api, hello]) {
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((r) => server.close(r));
  }
  // Let requests autocannon abandoned at the deadline finish before the database goes away.
  await new Promise((r) => setTimeout(r, 1000));
  db.destroy();
  await dynamo.close();
}

/** Median wall time of `import()` of a bundle in a fresh Node process. */
function coldImport(file: string, environment: Record<string, string>): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`,
      ],
      { env: { ...process.env, ...environment }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    times.push(Number(out.trim()));
  }
  return times.sort((a, b) => a - b)[2] ?? Number.NaN;
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

async function bundles() {
  const dir = join(root, 'dist/bench');
  mkdirSync(dir, { recursive: true });
  const floorFile = join(dir, 'floor.mjs');
  await build({
    ...lambdaBuildOptions('floor', floorFile),
    entryPoints: undefined,
    stdin: { contents: FLOOR_SOURCE, resolveDir: root, loader: 'ts' },
  });
  const environment = handlerEnv('http://127.0.0.1:1');
  const floorMs = coldImport(floorFile, environment);
  console.log(
    "\n-- bundles (the CDK's esbuild options, infra/bundling.ts) and module evaluation in a fresh Node process",
  );
  console.log(
    `  ${'floor'.padEnd(15)} ${kib(statSync(floorFile).size).padStart(11)}  Hono + DynamoDB document client   cold ${floorMs.toFixed(0).padStart(4)} ms`,
  );
  for (const name of FUNCTION_NAMES) {
    const f = await bundleFunction(name, dir);
    let cold = 'n/a';
    try {
      const ms = coldImport(f.file, environment);
      cold = `${ms.toFixed(0).padStart(4)} ms  ${(ms / floorMs).toFixed(2)}× floor${name === 'public-api' ? ' (goal ≤ 1.5×)' : ''}`;
    } catch (err) {
      cold = `not measured (${String(err).split('\n')[0]})`;
    }
    console.log(`  ${budgetLine(f)}  cold ${cold}`);
  }
}

export async function run() {
  await bundles();
  await dataset(320);
  await dataset(Number(process.env.BENCH_LARGE ?? 10_000));
}
