import { buildPublicDeps, calendarFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createPublicApp } from '#shared/http/apps/public.ts';
import { buildDemoData, demoItems } from '#shared/local/demo.ts';
import { benchEnv } from './bench-env.ts';
import { memoryDocumentClient } from './memory-table.ts';
import { floorApp, visitorQueries } from './public-floor.ts';

/**
 * The public app's own CPU per request: `app.fetch` over an in-memory table, one request at a time, no
 * socket and no database, so what is left is routing, validation, presenting, serialising and headers.
 * Side by side: a bare Hono hello route and a bare route doing one GetItem of the same table.
 */
const env = benchEnv('cpu');

export async function appCpuSetup(count = 320) {
  const config = loadConfig(env);
  const probe = buildPublicDeps(config, memoryDocumentClient([]));
  const data = buildDemoData({ count, today: probe.clock.today(), calendar: calendarFrom(config) });
  const db = memoryDocumentClient(demoItems(data));
  const deps = buildPublicDeps(config, db);
  const app = createPublicApp(deps, { error: () => {} });
  const floor = floorApp(db, config.TABLE_NAME);
  const queries = visitorQueries(data.profiles[7]!);
  const usccs = data.profiles.slice(0, 50).map((p) => p.uscc);
  return {
    app,
    floor,
    paths: {
      hello: ['/hello'],
      floor: usccs.map((u) => `/floor/${u}`),
      detail: usccs.map((u) => `/v1/institutions/${u}`),
      search: queries.map((q) => `/v1/institutions?q=${encodeURIComponent(q)}`),
    },
  };
}

/** Microseconds of process CPU (user + system) per request, over `n` sequential requests. */
export async function cpuPerRequest(
  fetch: (req: Request) => Response | Promise<Response>,
  paths: string[],
  n: number,
): Promise<number> {
  const one = async (i: number) => {
    const res = await fetch(new Request(`http://127.0.0.1${paths[i % paths.length]}`));
    if (res.status !== 200) throw new Error(`${res.status} from ${paths[i % paths.length]}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < Math.min(n, 2000); i++) await one(i);
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await one(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

export async function printAppCpu(n = Number(process.env.BENCH_CPU_REQUESTS ?? 20_000)) {
  const { app, floor, paths } = await appCpuSetup();
  const us = {
    hello: await cpuPerRequest(floor.fetch, paths.hello, n),
    floor: await cpuPerRequest(floor.fetch, paths.floor, n),
    detail: await cpuPerRequest(app.fetch, paths.detail, n),
    search: await cpuPerRequest(app.fetch, paths.search, n),
  };
  console.log(
    `\n-- app CPU per request (app.fetch over an in-memory table, ${n} sequential requests each, 320 institutions)`,
  );
  for (const [name, v] of Object.entries(us)) {
    const note =
      name === 'hello' ? 'bare Hono route' : name === 'floor' ? 'bare Hono route, one in-memory GetItem' : '';
    console.log(
      `  ${name.padEnd(6)} ${v.toFixed(0).padStart(5)} µs  ${(us.hello / v).toFixed(2)}× hello  ${note}`,
    );
  }
  return { us, appMs: { detail: us.detail / 1000, search: us.search / 1000 } };
}

// `node --cpu-prof --import tsx bench/app-cpu.ts [detail|search]`: load one route for a profile.
if (import.meta.url === `file://${process.argv[1]}`) {
  const route = (process.argv[2] ?? 'detail') as 'detail' | 'search';
  const { app, paths } = await appCpuSetup();
  const us = await cpuPerRequest(app.fetch, paths[route], Number(process.env.BENCH_CPU_REQUESTS ?? 30_000));
  console.log(`${route}: ${us.toFixed(0)} µs CPU per request`);
}
