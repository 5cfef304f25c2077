import { describe, expect, it } from 'vitest';
import { PublicityJob } from '#shared/jobs/publicity.ts';
import { AuditStore } from '#shared/store/audit.ts';
import { EventStore } from '#shared/store/events.ts';
import { JobStateStore } from '#shared/store/job-state.ts';
import { adminHarness, expectStatus, scoredHospital } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { solvedProof } from '../../support/proof.ts';

describe('publicity scheduled for a later day is not yet publicity', () => {
  const dynamo = useTestDynamo();

  it('is not listed, shown or open to objections before its first day, and its event comes on that day', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id, city } = await scoredHospital(h, '拱墅区');
    // Today is Monday 2026-11-23; publicity is posted for Monday 2026-11-30.
    const w = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${id}/publicity`, city, { startOn: '2026-11-30' }),
        200,
      ),
    );
    expect(w.startOn).toBe('2026-11-30');

    const object = async () =>
      h.app.request(`/v1/publicity/${id}/objections`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.9' },
        body: JSON.stringify({ text: '评分与实际不符，请核查', altcha: await solvedProof(h.app) }),
      });
    const state = async () => {
      const listed = await body(await h.call('GET', '/v1/publicity', null));
      const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
      const page = await (await h.call('GET', `/i/${uscc}`, null)).text();
      const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
      return {
        listed: (listed.items as Array<{ resultId?: string; id?: string }>).some(
          (i) => (i.resultId ?? i.id) === id,
        ),
        detail: detail.publicity as { startOn: string } | null,
        form: page.includes(`/v1/publicity/${encodeURIComponent(id)}/objections`),
        events: feed.items.filter((e) => e.uscc === uscc && e.type === 'publicity_started'),
      };
    };
    const before = await state();
    expect(before).toMatchObject({ listed: false, detail: null, form: false, events: [] });
    expect((await object()).status).toBe(409);

    h.clock.set('2026-11-30T08:00:00+08:00');
    const job = new PublicityJob({
      results: h.deps.results,
      reader: h.deps.reader,
      audit: new AuditStore(dynamo.db, h.table),
      state: new JobStateStore(dynamo.db, h.table),
      notifier: h.notices,
      clock: h.clock,
      events: new EventStore(dynamo.db, h.table, () => h.clock.now()),
    });
    await job.run(h.clock.today());
    const after = await state();
    expect(after).toMatchObject({ listed: true, detail: { startOn: '2026-11-30' }, form: true });
    expect(after.events).toHaveLength(1);
    expect(after.events[0]?.occurredAt.startsWith('2026-11-30T08:00')).toBe(true);
    expect(after.events[0]?.occurredAt.endsWith('+08:00')).toBe(true);
    expect((await object()).status).toBe(201);
  });
});
