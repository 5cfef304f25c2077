import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '#shared/clock.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { CampaignBackfillJob } from '#shared/jobs/campaign-backfill.ts';
import { batchPut } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { applicationId } from '#shared/services/upgrades.ts';
import { CampaignKeyBackfill } from '#shared/store/campaign-key-backfill.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { accessPatterns, keys } from '#shared/store/keys.ts';
import { RegisterRows } from '#shared/store/register-rows.ts';

/**
 * `npm run bench -- campaign-backfill`: the one-off backfill over a register of 5,000 institutions
 * stored the old way: 2,000 results and 500 upgrade applications without a campaign key, half the rows
 * without `registeredOn`. Only the attributes the job reads are written. Figures: invocations until the
 * pass completes, DynamoDB calls by kind (the same on AWS), run time on the in-process table (not AWS).
 */
const SIZE = Number(process.env.BACKFILL_BENCH_SIZE ?? 5000);
const SECRET = 'bench-cursor-secret-0123456789abcdef';

function counting(db: DynamoDBDocumentClient) {
  const calls = new Map<string, number>();
  const client = {
    send: (command: { constructor: { name: string } }) => {
      const kind = command.constructor.name.replace(/Command$/, '');
      calls.set(kind, (calls.get(kind) ?? 0) + 1);
      return db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}

function oldItems(n: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const uscc = makeUscc(`91330106${String(i).padStart(9, '0')}`);
    const registeredOn = '2020-03-01';
    items.push({ ...keys.registerRow(uscc), uscc, v: 1, ...(i % 2 === 0 ? { registeredOn } : {}) });
    items.push({ ...keys.profile(uscc), uscc, registeredOn });
    const applied = i % 10 === 0;
    items.push({ ...keys.private(uscc), uscc, upgradeYears: applied ? [2026] : [] });
    if (i % 5 < 2) {
      const id = `r-${i}`;
      const createdAt = '2026-05-01T10:00:00+08:00';
      items.push({
        ...keys.result(id),
        gsi1pk: accessPatterns.resultsOfInstitution(uscc).pk,
        gsi1sk: `${createdAt}#${id}`,
        id,
        uscc,
        district: '西湖区',
        assessedOn: '2026-05-01',
        createdAt,
        status: 'published',
        version: 6,
      });
    }
    if (applied) {
      const id = applicationId(SECRET, uscc, 2026);
      items.push({ ...keys.upgradeApplication(id), id, uscc, year: 2026, status: 'pending', version: 1 });
    }
  }
  return items;
}

export async function run() {
  const dynamo = await startLocalDynamo();
  const db = createDocumentClient({ region: 'cn-north-1', endpoint: dynamo.endpoint });
  try {
    const table = 'bench-backfill';
    await ensureTable(db as never, table);
    await batchPut(db, table, oldItems(SIZE));
    const { client, calls } = counting(db);
    const job = new CampaignBackfillJob({
      store: new CampaignKeyBackfill(client, table, new RegisterRows(client, table)),
      clock: fixedClock('2026-12-02T10:00:00+08:00'),
      cursorSecret: SECRET,
    });
    const runs: Array<Record<string, unknown>> = [];
    for (let pass = 1; pass <= 2; pass++) {
      let complete = false;
      while (!complete) {
        calls.clear();
        const started = performance.now();
        const report = await job.run('2026-12-02');
        complete = report.complete === true;
        runs.push({
          pass,
          institutions: report.institutions,
          results: JSON.stringify(report.results),
          applications: JSON.stringify(report.applications),
          rows: JSON.stringify(report.rows),
          calls: JSON.stringify(Object.fromEntries(calls)),
          runMs: Math.round(performance.now() - started),
          complete,
        });
      }
    }
    console.log(`${SIZE} institutions stored the old way; each line is one invocation (defaults)`);
    console.table(runs);
  } finally {
    db.destroy();
    await dynamo.close();
  }
}
