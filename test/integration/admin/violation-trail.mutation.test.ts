import { describe, expect, it } from 'vitest';
import {
  type AdminHarness,
  adminHarness,
  clinicResultThroughPublicity,
  expectStatus,
  hospitalInPublicity,
  publishedClinic,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * What a downgrading violation leaves behind, read back through the API and the stores: the stored
 * violation as reported, the published downgrade result, the `downgraded` event and notice, one audit
 * entry, and a report sent again answered 409 with nothing doubled; a violation during publicity shown
 * on the publicity at once (a first result's grade cap, a re-review a standing downgrade keeps back).
 */

async function record(h: AdminHarness, uscc: string, v: object, token?: string): Promise<Response> {
  return h.call('POST', `/v1/admin/institutions/${uscc}/violations`, token ?? (await h.token('city')), v);
}

describe('a downgrading violation', () => {
  const dynamo = useTestDynamo();

  it('publishes the downgrade, feeds, notifies and audits it once, and answers the same report again 409', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 97);
    const today = h.clock.today();
    const report = {
      occurredOn: today,
      type: 'accident',
      severity: 'serious',
      description: '术中麻醉事故',
      rectifiedOn: today,
      rectificationDeadline: '2026-12-01',
      effectiveCompliance: true,
    };
    const v = await body(await expectStatus(record(h, uscc, report), 201));
    // Serious: two grades down; the next re-review is C's interval from the downgrade, earlier than A's.
    expect(v).toMatchObject({
      ...report,
      uscc,
      gradeBefore: 'A',
      gradeAfter: 'C',
      nextReviewDue: '2028-11-28',
      downgradeResultId: `dg-${v.id}`,
    });

    const city = await h.token('city');
    const downgrade = await body(
      await expectStatus(h.call('GET', `/v1/admin/assessments/dg-${v.id}`, city), 200),
    );
    expect(downgrade.result).toMatchObject({
      uscc,
      kind: 'clinic',
      district: '西湖区',
      status: 'published',
      grade: 'C',
      score: 97,
      reason: 'downgrade',
      assessedOn: today,
      revision: '2025-1',
      publishedOn: today,
      nextReviewDue: '2028-11-28',
      createdBy: 'test-city',
    });

    const events = async () =>
      (await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true })).items.filter(
        (e) => e.type === 'downgraded',
      );
    expect(
      (await events()).map(({ uscc: u, district, before, after }) => ({ u, district, before, after })),
    ).toEqual([
      {
        u: uscc,
        district: '西湖区',
        before: { grade: 'A' },
        after: { grade: 'C', nextReviewDue: '2028-11-28', severity: 'serious', type: 'accident' },
      },
    ]);
    const notices = () => h.notices.intents.filter((n) => n.kind === 'downgraded');
    expect(notices().map(({ uscc: u, cycle, params, on }) => ({ u, cycle, params, on }))).toEqual([
      {
        u: uscc,
        cycle: v.id,
        params: { gradeBefore: 'A', grade: 'C', nextReviewDue: '2028-11-28', severity: 'serious' },
        on: today,
      },
    ]);
    const audited = async () =>
      (await h.deps.audit.list(uscc, null, 50)).items.filter((e) => e.action === 'violation.record');
    expect(await audited()).toEqual([
      expect.objectContaining({
        id: `violation:${v.id}`,
        actor: { subject: 'test-city', role: 'city' },
        before: { grade: 'A' },
        after: expect.objectContaining({ id: v.id, gradeAfter: 'C', description: '术中麻醉事故' }),
      }),
    ]);

    const again = await record(h, uscc, { ...report, description: ' 术中麻醉事故 ' });
    expect(again.status).toBe(409);
    expect((await body(again)).detail).toBe(`this violation was already recorded as ${v.id}`);
    expect(await events()).toHaveLength(1);
    // The retry finishes the notice step again with the same cycle: the notifier sends it once.
    expect(new Set(notices().map((n) => JSON.stringify(n))).size).toBe(1);
    expect(await audited()).toHaveLength(1);
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail.grade).toBe('C');
    expect(detail.history.map((e: { reason: string }) => e.reason)).toEqual(['downgrade', 'initial']);
  });

  it('is refused to a district officer of another district, and stores nothing', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 97);
    const other = await h.token('district', { district: '滨江区' });
    const refused = await record(
      h,
      uscc,
      { occurredOn: h.clock.today(), type: 'violation', severity: 'severe', description: '越权' },
      other,
    );
    expect(refused.status).toBe(403);
    const admin = await body(await h.call('GET', `/v1/admin/institutions/${uscc}`, await h.token('city')));
    expect(admin.violations).toEqual([]);
    expect((await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).grade).toBe('A');
  });

  it('caps a first result in publicity at once, lower with each violation, and leaves it uncapped for a minor one', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await hospitalInPublicity(h);
    const shown = async () => (await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).publicity;
    const today = h.clock.today();
    await expectStatus(
      record(h, uscc, { occurredOn: today, type: 'violation', severity: 'minor', description: '轻微' }),
      201,
    );
    expect(await shown()).toMatchObject({ proposedGrade: 'B', gradeCap: null });
    await expectStatus(
      record(h, uscc, { occurredOn: today, type: 'violation', severity: 'general', description: '一般' }),
      201,
    );
    expect(await shown()).toMatchObject({ proposedGrade: 'B', gradeCap: 'C' });
    await expectStatus(
      record(h, uscc, { occurredOn: today, type: 'accident', severity: 'severe', description: '严重' }),
      201,
    );
    expect(await shown()).toMatchObject({ proposedGrade: 'B', gradeCap: 'D' });
  });

  it('keeps back a re-review in publicity that a downgrade since its assessment outlasts', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 90);
    await clinicResultThroughPublicity(h, uscc, 96, 'review');
    const before = (await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).publicity;
    expect(before.stage).toBe('ended');
    await expectStatus(
      record(h, uscc, {
        occurredOn: h.clock.today(),
        type: 'violation',
        severity: 'general',
        description: '一般',
      }),
      201,
    );
    const after = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(after.grade).toBe('C');
    expect(after.publicity).toMatchObject({ resultId: before.resultId, stage: 'unpublishable' });
  });
});
