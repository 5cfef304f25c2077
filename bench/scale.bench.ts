import { buildPublicDeps, calendarFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { SearchIndex } from '#shared/domain/search-index.ts';
import { statsOf } from '#shared/http/public/stats.ts';
import { gradesCsv } from '#shared/jobs/grades-export.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { RegisterIndexSource } from '#shared/store/register-index.ts';
import { RegisterRows } from '#shared/store/register-rows.ts';

/**
 * Per-request DynamoDB cost of the public reads as the register grows (items and read units as DynamoDB
 * charges them, eventually consistent), and the in-memory search's latency. `BENCH_SCALE` lists the
 * sizes (default 1000,10000; add 50000 when loading it in dynalite, several minutes, is acceptable).
 */
const SIZES = (process.env.BENCH_SCALE ?? '1000,10000').split(',').map(Number);

const env = (endpoint: string) => ({
  TABLE_NAME: 'scale',
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

async function size(count: number) {
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

  let items = 0;
  let units = 0;
  const opts = {
    onCapacity: (u: number) => {
      items++;
      units += u;
    },
  };
  const measure = async (label: string, what: () => Promise<unknown>) => {
    items = 0;
    units = 0;
    const t = performance.now();
    await what();
    const ms = performance.now() - t;
    console.log(
      `  ${label.padEnd(44)} ${String(items).padStart(4)} calls ${units.toFixed(1).padStart(8)} RCU ${ms.toFixed(1).padStart(8)} ms`,
    );
  };
  const reader = new InstitutionReader(db, config.TABLE_NAME, opts);
  const rows = new RegisterRows(db, config.TABLE_NAME, opts);
  const register = new RegisterIndexSource(rows);
  const sample = data.profiles[7]!;

  await measure('detail (GetItem of the profile)', () => reader.getProfile(sample.uscc));
  await measure('cold start: load the register rows (once)', () => register.current());
  const index = await register.current();
  for (const q of ['医疗美容', 'xhmr', 'hangzhou', sample.name, 'xihu']) {
    await measure(`search q=${q.slice(0, 12)} (warm: version item)`, async () => {
      const idx = await register.current();
      idx.search({ query: q, filter: {}, limit: 20, after: null });
    });
  }
  const t = performance.now();
  for (let i = 0; i < 20; i++) index.search({ query: 'hangzhou', filter: {}, limit: 20, after: null });
  console.log(`  in-memory search, broad Latin query: ${((performance.now() - t) / 20).toFixed(2)} ms each`);
  await measure('stats (warm: version item, counts in memory)', async () =>
    statsOf((await register.current()).rows(), deps.clock),
  );
  const page = data.profiles.slice(0, 50).map((p) => p.uscc);
  await measure('publicity/Atom names for 50 items (BatchGet)', () => reader.rows.getMany(page, false));
  console.log('  export request: served by CloudFront from S3 (0 DynamoDB reads, no function answer)');
  let bytes = 0;
  await measure('export job (off the request path, per change)', async () => {
    const all = await rows.all();
    bytes = Buffer.byteLength(gradesCsv(all, deps.clock.today()));
  });
  console.log(`  grades.csv ${(bytes / 1024 / 1024).toFixed(2)} MB, put to S3 by the job`);
  console.log(`  index holds ${new SearchIndex(await rows.all()).size} institutions`);
  db.destroy();
  await dynamo.close();
}

export async function run() {
  for (const n of SIZES) await size(n);
}
