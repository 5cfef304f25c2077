import { describe, expect, it } from 'vitest';
import {
  type AdminHarness,
  adminHarness,
  expectStatus,
  nextDay,
  publishedClinic,
  registeredHospital,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * What recording a violation may and may not do: its dates (no violation in the future, no rectification
 * before the violation), when it enters the dishonesty record (prudent supervision: an A/B institution's
 * minor violation rectified in time, by its deadline or by an effective compliance rectification, is left
 * out) and the violations that downgrade nothing (a closed, an ungraded and a D institution).
 */

const violation = (over: Record<string, unknown> = {}) => ({
  occurredOn: '2026-11-24',
  type: 'violation',
  severity: 'minor',
  description: '未按规定公示价格',
  ...over,
});

async function record(h: AdminHarness, uscc: string, v: object): Promise<Response> {
  return h.call('POST', `/v1/admin/institutions/${uscc}/violations`, await h.token('city'), v);
}

/** What a violation can change, read back through the API: the public detail, the feed and the notices. */
async function observable(h: AdminHarness, uscc: string) {
  const detail = await body(await expectStatus(h.call('GET', `/v1/institutions/${uscc}`, null), 200));
  const admin = await body(
    await expectStatus(h.call('GET', `/v1/admin/institutions/${uscc}`, await h.token('city')), 200),
  );
  const changes = await body(await expectStatus(h.call('GET', '/v1/changes?limit=50', null), 200));
  return {
    grade: detail.grade,
    nextReviewDue: detail.nextReviewDue,
    history: detail.history,
    violations: admin.violations.length,
    downgradedEvents: changes.items.filter((e: { type: string; uscc: string }) => e.type === 'downgraded')
      .length,
    downgradeNotices: h.notices.intents.filter((n) => n.kind === 'downgraded').length,
  };
}

describe('recording a violation', () => {
  const dynamo = useTestDynamo();

  it('refuses a violation dated after today and a rectification before the violation, naming each field and storing nothing', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 97);
    const today = h.clock.today();
    const before = await observable(h, uscc);

    const future = await record(h, uscc, violation({ occurredOn: nextDay(today), severity: 'severe' }));
    expect(future.status).toBe(400);
    expect(future.headers.get('content-type')).toContain('application/problem+json');
    expect((await body(future)).errors).toEqual([
      { path: 'occurredOn', message: 'must not be in the future' },
    ]);

    const backwards = await record(
      h,
      uscc,
      violation({ occurredOn: '2026-11-24', rectifiedOn: '2026-11-23', severity: 'severe' }),
    );
    expect(backwards.status).toBe(400);
    expect((await body(backwards)).errors).toEqual([
      { path: 'rectifiedOn', message: 'must not be before occurredOn' },
    ]);

    // Every invalid field is listed, not only the first.
    const both = await body(
      await record(
        h,
        uscc,
        violation({ occurredOn: nextDay(today), rectifiedOn: today, severity: 'severe' }),
      ),
    );
    expect(both.status).toBe(400);
    expect(both.detail).toBe('invalid violation');
    expect(both.errors.map((e: { path: string }) => e.path)).toEqual(['occurredOn', 'rectifiedOn']);

    expect(await observable(h, uscc)).toEqual(before);
  });

  it('accepts a violation of today and one rectified on the day it occurred', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 97);
    const today = h.clock.today();
    await expectStatus(record(h, uscc, violation({ occurredOn: today, description: '今日发现' })), 201);
    await expectStatus(
      record(
        h,
        uscc,
        violation({ occurredOn: '2026-11-24', rectifiedOn: '2026-11-24', description: '当日改正' }),
      ),
      201,
    );
    expect((await observable(h, uscc)).violations).toBe(2);
  });

  it('leaves out of the dishonesty record an A institution’s minor violation rectified by its deadline or by an effective compliance rectification, and no other', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 97);
    const decide = async (description: string, over: Record<string, unknown>) => {
      const v = await body(await expectStatus(record(h, uscc, violation({ description, ...over })), 201));
      // A report that does not say the rectification was an effective compliance one is kept as not one.
      expect(v.effectiveCompliance).toBe(over.effectiveCompliance ?? false);
      return { enters: v.entersDishonestyRecord, reason: v.dishonestyReason };
    };
    const late = { rectifiedOn: '2026-11-26', rectificationDeadline: '2026-11-25' };

    expect(
      await decide('期限内改正', { rectifiedOn: '2026-11-25', rectificationDeadline: '2026-11-25' }),
    ).toEqual({
      enters: false,
      reason: 'A级机构轻微违法行为已及时改正，依据审慎监管规定不作失信评价',
    });
    expect(await decide('逾期改正', late)).toEqual({
      enters: true,
      reason: '轻微违法行为未及时改正，纳入失信评价',
    });
    expect(await decide('逾期但有效合规整改', { ...late, effectiveCompliance: true })).toEqual({
      enters: false,
      reason: 'A级机构轻微违法行为已及时改正，依据审慎监管规定不作失信评价',
    });
    expect(await decide('未改正', { effectiveCompliance: true })).toEqual({
      enters: true,
      reason: '轻微违法行为未及时改正，纳入失信评价',
    });
    expect(await decide('较重违法', { severity: 'general', rectifiedOn: '2026-11-25' })).toEqual({
      enters: true,
      reason: '非轻微违法行为，纳入失信评价（仅轻微违法行为及时改正的可以不作失信评价）',
    });
    // The dishonesty decision is kept on the record the regulators read back.
    const admin = await body(await h.call('GET', `/v1/admin/institutions/${uscc}`, await h.token('city')));
    expect(
      admin.violations.map((v: { entersDishonestyRecord: boolean }) => v.entersDishonestyRecord).sort(),
    ).toEqual([false, false, true, true, true]);
  });

  it('downgrades neither an ungraded nor a D institution: recorded, with no new grade, history, event or notice', async () => {
    const h = await adminHarness(dynamo);
    const ungraded = await registeredHospital(h);
    const { uscc: graded } = await publishedClinic(h, 70);

    for (const [uscc, grade, reason] of [
      [
        ungraded.uscc,
        null,
        '未评级机构不适用轻微违法及时改正免于失信评价的规定（仅A级、B级机构适用），纳入失信评价',
      ],
      [graded, 'D', 'D级机构不适用轻微违法及时改正免于失信评价的规定（仅A级、B级机构适用），纳入失信评价'],
    ] as const) {
      const before = await observable(h, uscc);
      expect(before.grade).toBe(grade);
      const v = await body(
        await expectStatus(record(h, uscc, violation({ severity: 'severe', type: 'accident' })), 201),
      );
      expect(v).toMatchObject({
        gradeBefore: grade,
        gradeAfter: null,
        nextReviewDue: null,
        entersDishonestyRecord: true,
        dishonestyReason: reason,
      });
      expect(await observable(h, uscc)).toEqual({ ...before, violations: before.violations + 1 });
    }
  });

  it('does not downgrade a closed institution: no grade, due date, event or notice comes back with the violation', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 97);
    await expectStatus(
      h.call('POST', `/v1/admin/institutions/${uscc}/close`, await h.token('city'), {}),
      200,
    );
    const before = await observable(h, uscc);
    const v = await body(
      await expectStatus(record(h, uscc, violation({ severity: 'severe', type: 'accident' })), 201),
    );
    expect(v).toMatchObject({ gradeAfter: null, nextReviewDue: null });
    expect(await observable(h, uscc)).toEqual({ ...before, violations: before.violations + 1 });
  });
});
