import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { districtNames } from '#shared/domain/rules.ts';
import { CHANGE_TYPES } from '#shared/domain/types.ts';
import { createApp } from '#shared/http/app.ts';
import { batchPut, buildDemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { profileItem } from '#shared/store/institution-writer.ts';
import { keys } from '#shared/store/keys.ts';
import { testConfig } from '#test/support/config.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/local-table.ts';

/**
 * The association feeds: memory of the streamed CSV export as the register grows (1,000 vs 10,000
 * institutions), and the latency of change-feed pages followed by cursor, filtered, and revalidated.
 * In process against dynalite: absolute times are the local server's, the ratios are the point.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

async function registerOf(dynamo: TestDynamo, count: number) {
  const table = await dynamo.freshTable();
  const deps = buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier());
  const data = buildDemoData({ count, today: deps.clock.today(), calendar: deps.calendar, seed: count });
  // Only the profile items: the export reads nothing else.
  await batchPut(dynamo.db, table, data.profiles.map(profileItem));
  return { app: createApp(deps), deps };
}

async function exportOnce(app: ReturnType<typeof createApp>, sample: boolean) {
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  let bytes = 0;
  let chunks = 0;
  const started = performance.now();
  const res = await app.request('/v1/export/grades.csv');
  const reader = res.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    bytes += r.value.byteLength;
    chunks++;
    // Collect before sampling: what stays live while the file streams, not garbage awaiting a GC.
    if (sample && chunks % 4 === 0) {
      gc();
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }
  }
  return {
    ms: performance.now() - started,
    bytes,
    chunks,
    heapGrowthMb: (peakHeap - base.heapUsed) / MB,
    rssGrowthMb: (peakRss - base.rss) / MB,
  };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function timed(fn: () => Promise<void>, runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`;
}

async function feedLatency(dynamo: TestDynamo, events: number) {
  const table = await dynamo.freshTable();
  const deps = buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier());
  const items: Record<string, unknown>[] = [];
  for (let seq = 1; seq <= events; seq++) {
    items.push({
      ...keys.event(seq),
      id: String(seq),
      seq,
      key: `bench:${seq}`,
      type: CHANGE_TYPES[seq % CHANGE_TYPES.length],
      uscc: '91330106MA2CFXKQ1P',
      district: districtNames()[seq % districtNames().length],
      occurredAt: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
      before: { grade: 'A', score: 96.5 },
      after: { grade: 'B', score: 90.1, resultId: `r-bench-${seq}`, reason: 'downgrade' },
    });
  }
  await batchPut(dynamo.db, table, items);
  const app = createApp(deps);

  const pages: string[] = [];
  let since = '';
  const follow = await timed(
    async () => {
      const res = await app.request(
        `/v1/changes?limit=50${since ? `&since=${encodeURIComponent(since)}` : ''}`,
      );
      const json = (await res.json()) as { nextCursor: string };
      pages.push(since);
      since = json.nextCursor;
    },
    Math.ceil(events / 50),
  );
  let filteredSince = '';
  const filtered = await timed(async () => {
    const q = `type=downgraded&district=${encodeURIComponent('西湖区')}&limit=50`;
    const res = await app.request(
      `/v1/changes?${q}${filteredSince ? `&since=${encodeURIComponent(filteredSince)}` : ''}`,
    );
    filteredSince = ((await res.json()) as { nextCursor: string }).nextCursor;
  }, 20);
  const head = await app.request('/v1/changes?limit=50&since=now');
  const etag = head.headers.get('etag') ?? '';
  const revalidate = await timed(async () => {
    await app.request('/v1/changes?limit=50&since=now', { headers: { 'If-None-Match': etag } });
  }, 200);
  const atom = await timed(async () => {
    await (await app.request('/v1/changes.atom?limit=50')).text();
  }, 20);
  return { follow, filtered, revalidate, atom };
}

export async function run() {
  const dynamo = await startTestDynamo();
  try {
    const results: Record<number, Awaited<ReturnType<typeof exportOnce>>> = {};
    for (const count of [1_000, 10_000]) {
      const loadStart = performance.now();
      const { app } = await registerOf(dynamo, count);
      const loadMs = performance.now() - loadStart;
      await exportOnce(app, false); // warm-up: JIT and connection pool
      const timing = await exportOnce(app, false);
      const r = await exportOnce(app, true);
      results[count] = r;
      console.log(
        `export ${count.toLocaleString('en')} institutions: ${(r.bytes / MB).toFixed(2)} MB in ${r.chunks} chunks, ` +
          `${timing.ms.toFixed(0)} ms; peak live heap growth ${(r.heapGrowthMb * 1024).toFixed(0)} KB, ` +
          `RSS growth ${r.rssGrowthMb.toFixed(1)} MB (load ${(loadMs / 1000).toFixed(1)} s)`,
      );
    }
    const small = results[1_000]!;
    const large = results[10_000]!;
    console.log(
      `10x the register: ${(large.bytes / small.bytes).toFixed(1)}x the bytes; live heap growth ` +
        `${(small.heapGrowthMb * 1024).toFixed(0)} KB -> ${(large.heapGrowthMb * 1024).toFixed(0)} KB ` +
        `(one string of the file would hold ≥ ${((large.bytes * 2) / MB).toFixed(1)} MB as UTF-16)`,
    );

    const feed = await feedLatency(dynamo, 2_000);
    console.log(`change feed (2,000 events), following cursors, limit 50: ${feed.follow}`);
    console.log(`change feed, filtered (1 type × 1 district ≈ 1% of events): ${feed.filtered}`);
    console.log(`change feed, 304 revalidation (If-None-Match): ${feed.revalidate}`);
    console.log(`change feed as Atom, newest 50 with names: ${feed.atom}`);
  } finally {
    await dynamo.close();
  }
}
