/**
 * Time to dismiss 1,000 open objections of one result in one decision (O(n)), against the in-process
 * DynamoDB server. Printed, not asserted: `npx tsx bench/objections.bench.ts`.
 */
import { dismissObjections, objectionId } from '#shared/services/objections.ts';
import { adminHarness, expectStatus, hospitalIn } from '#test/support/admin.ts';
import { body } from '#test/support/http.ts';
import { startTestDynamo } from '#test/support/local-table.ts';

const N = Number(process.env.OBJECTIONS ?? 1000);
const dynamo = await startTestDynamo();
const h = await adminHarness(dynamo);
const city = await h.token('city');
const reg = hospitalIn('上城区');
await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
const { id } = await body(
  await h.call('POST', '/v1/admin/assessments', city, {
    uscc: reg.uscc,
    score: 90,
    assessedOn: '2026-11-23',
    reason: 'initial',
  }),
);
await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
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
await dynamo.close();
