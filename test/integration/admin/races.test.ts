import { describe, expect, it } from 'vitest';
import type { NoticeIntent, Notifier } from '#shared/notify/port.ts';
import { adminHarness, expectStatus, hospitalIn, newUscc, publishedClinic } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/** A notifier that fails its first call, as a crash after the commit point would. */
class FailOnceNotifier implements Notifier {
  failed = false;
  readonly intents: NoticeIntent[] = [];
  async notify(intents: NoticeIntent[]) {
    if (!this.failed) {
      this.failed = true;
      throw new Error('simulated crash after the commit point');
    }
    this.intents.push(...intents);
  }
}

describe('racing and retried requests against dynalite', () => {
  const dynamo = useTestDynamo();

  it('lets exactly one of 20 concurrent publish calls win, with exactly one published event', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const guidance = await h.token('guidance');
    const reg = hospitalIn('西湖区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 91,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
    h.clock.set('2026-11-28T09:00:00+08:00');

    const statuses = await Promise.all(
      Array.from(
        { length: 20 },
        async () => (await h.call('POST', `/v1/admin/assessments/${id}/publish`, guidance)).status,
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);

    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    expect(feed.items.filter((e) => e.type === 'published')).toHaveLength(1);
    const detail = await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null));
    expect(detail.history).toHaveLength(1);
  });

  it('lets exactly one of concurrent upgrade applications in one year win', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 86);
    const me = await h.token('institution', { uscc });
    const statuses = await Promise.all(
      Array.from(
        { length: 8 },
        async () =>
          (
            await h.call('POST', `/v1/institutions/${uscc}/upgrade-applications`, me, {
              selfScore: 96,
              report: '自评',
            })
          ).status,
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409 || s === 422)).toBe(true);
  });

  it('lets exactly one of two concurrent registrations of one uscc win', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('西湖区', newUscc());
    const statuses = await Promise.all(
      [1, 2, 3].map(async () => (await h.call('POST', '/v1/admin/institutions', city, reg)).status),
    );
    expect(statuses.sort()).toEqual([201, 409, 409]);
    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    expect(feed.items.filter((e) => e.type === 'institution_registered')).toHaveLength(1);
  });

  it('creates a scoring sent twice with one Idempotency-Key once', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('富阳区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const score = (key: string) =>
      h.app.request('/v1/admin/assessments', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${city}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify({ uscc: reg.uscc, score: 88, assessedOn: '2026-11-23', reason: 'initial' }),
      });
    const statuses = await Promise.all([score('scoring-0001'), score('scoring-0001')]);
    expect(statuses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await score('scoring-0002')).status).toBe(201);
    expect(await h.deps.results.listForInstitution(reg.uscc)).toHaveLength(2);
  });

  it('finishes a publicity start whose first attempt crashed after the commit point when it is retried', async () => {
    const notifier = new FailOnceNotifier();
    const h = await adminHarness(dynamo, { notifier });
    const city = await h.token('city');
    const reg = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 97,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    // The publicity notice is the first one sent: it fails after the result, profile and event were written.
    expect((await h.call('POST', `/v1/admin/assessments/${id}/publicity`, city)).status).toBe(500);
    const retried = await h.call('POST', `/v1/admin/assessments/${id}/publicity`, city);
    expect(retried.status).toBe(409);
    expect(notifier.intents.map((n) => n.kind)).toEqual(['publicity_started']);
    const detail = await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null));
    expect(detail.publicity).toMatchObject({ resultId: id });
    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    expect(feed.items.filter((e) => e.type === 'publicity_started')).toHaveLength(1);
  });

  it('does not record the same violation twice when the request is retried', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 96);
    const city = await h.token('city');
    const v = { occurredOn: '2026-11-27', type: 'accident', severity: 'general', description: '术后感染' };
    const [a, b] = await Promise.all([
      h.call('POST', `/v1/admin/institutions/${uscc}/violations`, city, v),
      h.call('POST', `/v1/admin/institutions/${uscc}/violations`, city, v),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((await h.call('POST', `/v1/admin/institutions/${uscc}/violations`, city, v)).status).toBe(409);
    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    expect(feed.items.filter((e) => e.type === 'downgraded')).toHaveLength(1);
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail.grade).toBe('B');
    expect(detail.history.map((e: { reason: string }) => e.reason)).toEqual(['downgrade', 'initial']);
  });
});
