/**
 * The objection path under a flood, against the in-process DynamoDB server: how many objections to one
 * result are accepted before 429 from one address and from 60 addresses, and the time to dismiss
 * 1,000 open objections of one result in one decision (O(n)). Printed, not asserted:
 * `npm run bench -- objections` or `npx tsx bench/objections.bench.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dismissObjections, objectionId } from '#shared/services/objections.ts';
import { type AdminHarness, adminHarness, hospitalInPublicity } from '#test/support/admin.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/local-table.ts';
import { objectFrom } from '#test/support/proof.ts';

const N = Number(process.env.OBJECTIONS ?? 1000);
const ATTEMPTS_PER_ADDRESS = 10;
const ADDRESSES = 60;

/** Lodges objections from `addresses`, each `attempts` times; counts the answers by status. */
async function flood(h: AdminHarness, id: string, addresses: string[], attempts: number) {
  const statuses = new Map<number, number>();
  let retryAfter = '';
  for (let round = 0; round < attempts; round++) {
    for (const address of addresses) {
      const res = await objectFrom(h.app, id, address, `异议 ${address} ${round}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429) retryAfter = res.headers.get('retry-after') ?? '';
      await res.arrayBuffer();
    }
  }
  const stored = (await h.deps.workflow.listObjections(id)).length;
  return { accepted: statuses.get(201) ?? 0, refused429: statuses.get(429) ?? 0, stored, retryAfter };
}

async function floods(dynamo: TestDynamo) {
  const one = await adminHarness(dynamo);
  const fromOne = await flood(
    one,
    (await hospitalInPublicity(one)).id,
    ['203.0.113.7'],
    ATTEMPTS_PER_ADDRESS,
  );
  const many = await adminHarness(dynamo);
  const addresses = Array.from({ length: ADDRESSES }, (_, i) => `198.51.100.${i}`);
  const fromMany = await flood(many, (await hospitalInPublicity(many)).id, addresses, ATTEMPTS_PER_ADDRESS);
  console.table([
    { from: '1 address', attempts: ATTEMPTS_PER_ADDRESS, ...fromOne },
    { from: `${ADDRESSES} addresses`, attempts: ADDRESSES * ATTEMPTS_PER_ADDRESS, ...fromMany },
  ]);
}

async function bulkDismissal(dynamo: TestDynamo) {
  const h = await adminHarness(dynamo);
  const { id } = await hospitalInPublicity(h);
  // Stored directly: the per-result cap keeps the HTTP path at 50, this measures the resolution alone.
  for (let i = 0; i < N; i++) {
    await h.deps.workflow.createObjection({
      id: objectionId(id),
      resultId: id,
      lodgedAt: '2026-11-23T10:00:00+08:00',
      text: `异议 ${i}`,
      status: 'open',
    });
  }
  const started = performance.now();
  const out = await dismissObjections(h.deps, { subject: 'bench', role: 'city' }, id, {
    resolution: '批量驳回',
  });
  const ms = performance.now() - started;
  console.log(
    `dismissed ${out.dismissed.length} of ${N} objections in one decision: ${(ms / 1000).toFixed(2)} s`,
  );
}

export async function run() {
  const dynamo = await startTestDynamo();
  try {
    await floods(dynamo);
    await bulkDismissal(dynamo);
  } finally {
    await dynamo.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
