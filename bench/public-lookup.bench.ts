import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
import { bundlePublicApi, lambdaBuildOptions } from '../scripts/bundle.ts';

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
    console.log(
      `  search q=${q.padEnd(10)} ${trace.queries} Query, ${units.toFixed(1).padStart(4)} RCU, ${page.items.length} items`,
    );
  }
  units = 0;
  calls = 0;
  await reader.getProfile(sample.uscc);
  console.log(`  detail          ${calls} GetItem, ${units.toFixed(1).padStart(4)} RCU`);

  const app = createPublicApp(deps, { error: () => {} });
  const api = await listen(app.fetch);
  const hello = await listen(new Hono().get('/hello', (c) => c.text('hello')).fetch);
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
  console.log(`  hello  ${fmt(h, h.rps)}`);
  console.log(`  search ${fmt(s, h.rps)}`);
  console.log(`  detail ${fmt(d, h.rps)}`);
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

async function bundles() {
  const dir = join(root, 'dist/bench');
  mkdirSync(dir, { recursive: true });
  const publicFile = join(dir, 'public-api.mjs');
  const size = await bundlePublicApi(publicFile);
  const honoFile = join(dir, 'hono-alone.mjs');
  await build({
    ...lambdaBuildOptions('hono-alone', honoFile),
    entryPoints: undefined,
    stdin: {
      contents:
        "import { Hono } from 'hono'; import { handle } from 'hono/aws-lambda';" +
        "export const handler = handle(new Hono().get('/', (c) => c.text('hello')));",
      resolveDir: root,
      loader: 'ts',
    },
  });
  const honoSize = statSync(honoFile).size;
  // What the runtime-provided SDK alone costs at cold start, to read the public API's figure against.
  const sdkFile = join(dir, 'sdk-alone.mjs');
  await build({
    ...lambdaBuildOptions('sdk-alone', sdkFile),
    entryPoints: undefined,
    stdin: {
      contents:
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';" +
        "export const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));",
      resolveDir: root,
      loader: 'ts',
    },
  });
  const environment = env('http://127.0.0.1:1');
  console.log('\n-- bundles (esbuild, ESM, node22, minified; @aws-sdk/* provided by the Lambda runtime)');
  console.log(
    `  public API  ${(size / 1024).toFixed(1).padStart(6)} KiB  cold import ${coldImport(publicFile, environment).toFixed(0)} ms (target ≤ 400 KB)`,
  );
  console.log(
    `  Hono alone  ${(honoSize / 1024).toFixed(1).padStart(6)} KiB  cold import ${coldImport(honoFile, environment).toFixed(0)} ms`,
  );
  console.log(
    `  AWS SDK DynamoDB client alone (from node_modules, as the runtime loads it): cold import ${coldImport(sdkFile, environment).toFixed(0)} ms`,
  );
}

export async function run() {
  await bundles();
  await dataset(320);
  await dataset(Number(process.env.BENCH_LARGE ?? 10_000));
}
