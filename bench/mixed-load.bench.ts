import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createApp } from '#shared/http/app.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { benchEnv } from './bench-env.ts';

/**
 * Mixed public load as the service sees it: 80% institution detail (QR scans), 15% search, 5% change
 * feed, over the local server (@hono/node-server on 127.0.0.1, in-process dynalite, 320 demo
 * institutions) for BENCH_SECONDS (default 30). Fails on any non-2xx answer or socket error, and
 * prints p99 next to a bare Hono route measured in the same process and run.
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = 10;

async function listen(fetch: (req: Request) => Response | Promise<Response>) {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

async function close(server: ServerType) {
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  await new Promise((r) => server.close(r));
}

/** A deterministic shuffle, so every run sends the same mix in the same order. */
function shuffle<T>(items: T[]): T[] {
  let seed = 20261123;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

async function cannon(url: string, paths: string[], duration: number) {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  return {
    requests: r.requests.total,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

export async function run() {
  const dynamo = await startLocalDynamo();
  const config = loadConfig(benchEnv('mixed', dynamo.endpoint));
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: dynamo.endpoint });
  await ensureTable(db as never, config.TABLE_NAME);
  const deps = buildAdminDeps(config, db, new RecordingNotifier());
  const data = buildDemoData({ count: 320, today: deps.clock.today(), calendar: deps.calendar });
  await loadDemoData(db, config.TABLE_NAME, data);

  // 100 requests in the 80/15/5 mix: detail over 80 institutions, five kinds of search, the feed.
  const detail = data.profiles.slice(0, 80).map((p) => `/v1/institutions/${p.uscc}`);
  const sample = data.profiles[7];
  const searches = [
    `/v1/institutions?q=${encodeURIComponent(sample?.name.slice(2, 4) ?? '西湖')}`,
    `/v1/institutions?q=${encodeURIComponent(sample?.name.slice(0, 4) ?? '西湖')}`,
    '/v1/institutions?q=xihu',
    '/v1/institutions?q=xhq',
    `/v1/institutions?q=${encodeURIComponent('医疗美容')}`,
  ];
  const search = Array.from({ length: 15 }, (_, i) => searches[i % searches.length] as string);
  const feed = [
    '/v1/changes?limit=20',
    '/v1/changes?limit=50',
    '/v1/changes?limit=20&type=published',
    '/v1/changes.atom',
    '/v1/changes?since=now',
  ];
  const mix = shuffle([...detail, ...search, ...feed]);

  const api = await listen(createApp(deps).fetch);
  const hello = await listen(new Hono().get('/hello', (c) => c.text('hello')).fetch);
  try {
    await cannon(api.url, mix.slice(0, 20), 1); // warm-up
    const mixed = await cannon(api.url, mix, DURATION);
    const floor = await cannon(hello.url, ['/hello'], Math.max(2, Math.min(10, DURATION)));
    console.log(
      `mixed load (80% detail, 15% search, 5% feed), ${CONNECTIONS} connections, ${DURATION} s, 320 institutions:`,
    );
    console.log(
      `  mixed  ${mixed.requests} requests, ${mixed.rps.toFixed(0)} req/s, p50 ${mixed.p50} ms, p99 ${mixed.p99} ms; ` +
        `non-2xx ${mixed.non2xx}, errors ${mixed.errors}, timeouts ${mixed.timeouts}`,
    );
    console.log(
      `  hello  ${floor.rps.toFixed(0)} req/s, p50 ${floor.p50} ms, p99 ${floor.p99} ms (bare Hono floor)`,
    );
    if (mixed.bad > 0) throw new Error(`${mixed.bad} failed answers under mixed load`);
  } finally {
    await close(api);
    await close(hello);
    db.destroy();
    await dynamo.close();
  }
}
