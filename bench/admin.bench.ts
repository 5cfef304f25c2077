import { randomUUID } from 'node:crypto';
import { mintLocalToken } from '#shared/auth/mint.ts';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { fixedClock } from '#shared/clock.ts';
import { loadConfig } from '#shared/config.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { createApp } from '#shared/http/app.ts';
import { readSheet } from '#shared/import/sheet.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { importRegister } from '#shared/services/imports.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';

const SECRET = 'bench-only-secret-for-local-tokens-0000000';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const fmt = (ms: number[]) =>
  `p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms`;

/**
 * The regulators' workflow over the in-process dynalite: latency of each lifecycle step through the
 * HTTP app, 20 racing publish calls, and import throughput. dynalite is far slower than DynamoDB, so
 * the figures are an upper bound and a regression guard, not a production estimate.
 */
export async function run() {
  const dynamo = await startLocalDynamo();
  const env = (now: string) =>
    loadConfig({
      TABLE_NAME: `bench-${randomUUID().slice(0, 8)}`,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: 'cn-north-1',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      CURSOR_SECRET: 'bench-cursor-secret-0123456789',
      JWT_ISSUER: 'bench',
      JWT_AUDIENCE: 'bench',
      JWT_SECRET: SECRET,
      STAGE: 'test',
      NOW: now,
    });
  const config = env('2026-11-23T10:00:00+08:00');
  const db = documentClientFor(config);
  await ensureTable(db as never, config.TABLE_NAME);
  const before = createApp(buildAdminDeps(config, db, new RecordingNotifier()), { error: () => {} });
  const after = createApp(
    buildAdminDeps(config, db, new RecordingNotifier(), fixedClock('2026-11-28T10:00:00+08:00')),
    { error: () => {} },
  );
  const token = (role: 'city' | 'guidance') =>
    mintLocalToken({ secret: SECRET, issuer: 'bench', audience: 'bench', role });
  const city = await token('city');
  const guidance = await token('guidance');
  const call = async (app: typeof before, path: string, auth: string, body?: unknown) => {
    const started = performance.now();
    const res = await app.request(path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${auth}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const ms = performance.now() - started;
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return { ms, json: (await res.json()) as { id: string } };
  };

  const N = 20;
  const steps: Record<string, number[]> = { register: [], score: [], publicity: [], publish: [] };
  for (let i = 0; i < N; i++) {
    const uscc = makeUscc(`91330106MB${String(i).padStart(7, '0')}`);
    const reg = {
      uscc,
      name: `杭州基准${i}医疗美容医院`,
      kind: 'hospital',
      district: '西湖区',
      address: '杭州市',
    };
    steps.register?.push((await call(before, '/v1/admin/institutions', city, reg)).ms);
    const scored = await call(before, '/v1/admin/assessments', city, {
      uscc,
      score: 80 + (i % 20),
      assessedOn: '2026-11-20',
      reason: 'initial',
    });
    steps.score?.push(scored.ms);
    steps.publicity?.push((await call(before, `/v1/admin/assessments/${scored.json.id}/publicity`, city)).ms);
    steps.publish?.push((await call(after, `/v1/admin/assessments/${scored.json.id}/publish`, guidance)).ms);
  }
  for (const [step, ms] of Object.entries(steps))
    console.log(`${step.padEnd(10)} ${fmt(ms)} (n=${ms.length})`);

  const uscc = makeUscc('91330106MB9999999');
  await call(before, '/v1/admin/institutions', city, {
    uscc,
    name: '杭州竞速医疗美容医院',
    kind: 'hospital',
    district: '西湖区',
    address: '杭州市',
  });
  const scored = await call(before, '/v1/admin/assessments', city, {
    uscc,
    score: 90,
    assessedOn: '2026-11-20',
    reason: 'initial',
  });
  await call(before, `/v1/admin/assessments/${scored.json.id}/publicity`, city);
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from(
      { length: 20 },
      async () =>
        (
          await after.request(`/v1/admin/assessments/${scored.json.id}/publish`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${guidance}` },
          })
        ).status,
    ),
  );
  console.log(
    `race      20 concurrent publish: ${statuses.filter((s) => s === 200).length}×200, ${statuses.filter((s) => s === 409).length}×409 in ${(performance.now() - started).toFixed(0)} ms`,
  );

  const rows = 100;
  const header = 'uscc,name,kind,district,address,score,assessedOn';
  const lines = Array.from({ length: rows }, (_, i) => {
    const u = makeUscc(`91330106MM${String(i).padStart(7, '0')}`);
    return `${u},杭州导入${i}医疗美容门诊部,outpatient,滨江区,杭州市滨江区${i}号,${i % 2 === 0 ? 85 : ''},${i % 2 === 0 ? '2026-11-01' : ''}`;
  });
  const sheet = await readSheet(new TextEncoder().encode([header, ...lines].join('\n')), 'csv');
  const deps = buildAdminDeps(config, db, new RecordingNotifier());
  const t0 = performance.now();
  const report = await importRegister(deps, { subject: 'bench', role: 'city' }, sheet);
  const importMs = performance.now() - t0;
  const t1 = performance.now();
  const again = await importRegister(deps, { subject: 'bench', role: 'city' }, sheet);
  const againMs = performance.now() - t1;
  console.log(
    `import    ${rows} rows (${report.created} created, ${report.assessments} assessments): ${(importMs / 1000).toFixed(1)} s, ${(rows / (importMs / 1000)).toFixed(1)} rows/s; same file again: ${again.skipped} skipped in ${(againMs / 1000).toFixed(1)} s`,
  );
  db.destroy();
  await dynamo.close();
}
