import { describe, expect, it } from 'vitest';
import { REPLY_MAX_CHARS } from '#shared/domain/reply.ts';
import {
  type AdminHarness,
  adminHarness,
  clinicIn,
  clinicResultThroughPublicity,
  expectStatus,
  hospitalInPublicity,
  publishedClinic,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const STATEMENT = '本院已于2026年11月完成全部整改，欢迎社会各界监督。';

/** The paths of an institution's statement. */
const paths = (uscc: string) => ({
  reply: `/v1/admin/institutions/${uscc}/reply`,
  decision: `/v1/admin/institutions/${uscc}/reply/decision`,
});

async function submit(h: AdminHarness, uscc: string, text = STATEMENT) {
  const me = await h.token('institution', { uscc });
  return h.call('POST', paths(uscc).reply, me, { text });
}

/** The 西湖区 clinic's statement `text`, submitted and approved by its district officer. */
async function approvedStatement(h: AdminHarness, uscc: string, text = STATEMENT) {
  const s = await body(await expectStatus(submit(h, uscc, text), 201));
  const district = await h.token('district', { district: '西湖区' });
  await expectStatus(h.call('POST', paths(uscc).decision, district, { id: s.id, outcome: 'approved' }), 200);
  return s;
}

async function detail(h: AdminHarness, uscc: string) {
  return body(await expectStatus(h.call('GET', `/v1/institutions/${uscc}`, null), 200));
}

/** A re-review of the 西湖区 clinic `uscc` scored `score` and taken through to publication. */
async function publishReview(h: AdminHarness, uscc: string, score: number) {
  const id = await clinicResultThroughPublicity(h, uscc, score, 'review');
  await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')), 200);
}

describe('an institution’s statement about its grade (its right to reply)', () => {
  const dynamo = useTestDynamo();

  it('is submitted by the institution, approved by the district that scores the clinic, audited and shown as its own words', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const me = await h.token('institution', { uscc });
    const submitted = await body(await expectStatus(submit(h, uscc), 201));
    expect(submitted).toMatchObject({
      uscc,
      text: STATEMENT,
      grade: 'B',
      status: 'pending',
      standing: 'pending',
    });
    expect((await detail(h, uscc)).reply).toBeNull();

    const mine = await body(await expectStatus(h.call('GET', paths(uscc).reply, me), 200));
    expect(mine).toMatchObject({ id: submitted.id, standing: 'pending', shown: null });

    const district = await h.token('district', { district: '西湖区' });
    const approved = await body(
      await expectStatus(
        h.call('POST', paths(uscc).decision, district, { id: submitted.id, outcome: 'approved' }),
        200,
      ),
    );
    expect(approved).toMatchObject({
      status: 'approved',
      decidedOn: h.clock.today(),
      decidedBy: 'test-district',
    });
    expect((await detail(h, uscc)).reply).toEqual({
      text: STATEMENT,
      submittedOn: submitted.submittedOn,
      approvedOn: h.clock.today(),
    });
    const page = await (await h.call('GET', `/i/${uscc}`, null)).text();
    expect(page).toContain(STATEMENT);
    expect(page).toContain('机构自述');

    // The institution reads where it stands, but not which official decided it.
    const read = await body(await expectStatus(h.call('GET', paths(uscc).reply, me), 200));
    expect(read).toMatchObject({ standing: 'approved', shown: { text: STATEMENT } });
    expect(read).not.toHaveProperty('decidedBy');

    const city = await h.token('city');
    const audit = await body(await h.call('GET', `/v1/admin/audit?uscc=${uscc}&limit=50`, city));
    const entries = (audit.items as Array<{ action: string; actor: { role: string } }>).filter((e) =>
      e.action.startsWith('reply.'),
    );
    expect(entries.map((e) => `${e.action}/${e.actor.role}`).sort()).toEqual([
      'reply.decide/district',
      'reply.submit/institution',
    ]);
  });

  it('is refused with a reason the institution reads, and then shows nothing; the city decides a hospital’s', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const { uscc, id } = await hospitalInPublicity(h, city);
    // Nothing to reply to before a grade is published.
    expect((await submit(h, uscc)).status).toBe(422);
    h.clock.set('2026-11-30T09:00:00+08:00');
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')), 200);
    const s = await body(await expectStatus(submit(h, uscc), 201));
    const district = await h.token('district', { district: '上城区' });
    const decide = (token: string, d: object) => h.call('POST', paths(uscc).decision, token, d);
    // A hospital is the city's: no district officer decides it, not even of its own district.
    expect((await decide(district, { id: s.id, outcome: 'approved' })).status).toBe(403);
    const noReason = await decide(city, { id: s.id, outcome: 'refused' });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(await body(noReason))).toContain('reason');

    await expectStatus(decide(city, { id: s.id, outcome: 'refused', reason: '内容与检查事实不符' }), 200);
    const me = await h.token('institution', { uscc: uscc });
    expect(await body(await h.call('GET', paths(uscc).reply, me))).toMatchObject({
      status: 'refused',
      standing: 'refused',
      decisionReason: '内容与检查事实不符',
      shown: null,
    });
    expect((await detail(h, uscc)).reply).toBeNull();
    // Decided: a new statement may follow.
    expect((await submit(h, uscc, '我院已整改。')).status).toBe(201);
  });

  it('is refused to another institution, another district, other roles and a closed institution', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const other = await h.token('institution', { uscc: (await publishedClinic(h, 90)).uscc });
    expect((await h.call('POST', paths(uscc).reply, other, { text: STATEMENT })).status).toBe(403);
    const s = await body(await expectStatus(submit(h, uscc), 201));
    expect((await h.call('GET', paths(uscc).reply, other)).status).toBe(403);

    const decision = { id: s.id, outcome: 'approved' };
    for (const [token, why] of [
      [await h.token('district', { district: '滨江区' }), 'another district'],
      [await h.token('city'), 'the city: clinics are scored by their district'],
      [await h.token('district_admin', { district: '西湖区' }), 'the district health admin'],
      [await h.token('guidance'), 'the guidance group'],
      [await h.token('institution', { uscc }), 'the institution itself'],
      [await h.token('association', { association: '中国整形美容协会' }), 'an association'],
    ] as const) {
      expect((await h.call('POST', paths(uscc).decision, token, decision)).status, why).toBe(403);
    }
    expect((await h.call('POST', paths(uscc).decision, null, decision)).status).toBe(401);
    expect(
      (await h.call('GET', paths(uscc).reply, await h.token('district', { district: '滨江区' }))).status,
    ).toBe(403);
    // Nothing changed: still pending.
    const me = await h.token('institution', { uscc });
    expect(await body(await h.call('GET', paths(uscc).reply, me))).toMatchObject({ status: 'pending' });

    const district = await h.token('district', { district: '西湖区' });
    await expectStatus(h.call('POST', `/v1/admin/institutions/${uscc}/close`, district, {}), 200);
    expect((await submit(h, uscc, '另一段说明')).status).toBe(422);
  });

  it('answers bad input with 400 naming the field, changing nothing', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const me = await h.token('institution', { uscc });
    const bad = async (path: string, token: string, input: unknown, field: string) => {
      const res = await h.call('POST', path, token, input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const errors = (await body(res)).errors as Array<{ path: string; message: string }>;
      // An unknown key is named in the message of the body's problem.
      expect(
        errors.map((e) => (e.path === 'json' ? e.message : e.path)).join(' '),
        JSON.stringify(input),
      ).toContain(field);
    };
    await bad(paths(uscc).reply, me, {}, 'text');
    await bad(paths(uscc).reply, me, { text: '' }, 'text');
    await bad(paths(uscc).reply, me, { text: '   ' }, 'text');
    await bad(paths(uscc).reply, me, { text: 42 }, 'text');
    await bad(paths(uscc).reply, me, { text: '欢'.repeat(REPLY_MAX_CHARS + 1) }, 'text');
    await bad(paths(uscc).reply, me, { text: '本院\u202E已整改' }, 'text');
    await bad(paths(uscc).reply, me, { text: '第一行\n第二行' }, 'text');
    await bad(paths(uscc).reply, me, { text: '本院\u200B已整改' }, 'text');
    await bad(paths(uscc).reply, me, { text: STATEMENT, extra: 1 }, 'extra');
    expect((await h.call('GET', paths(uscc).reply, me)).status).toBe(404);
    // The longest allowed, counted in characters: an astral character is one.
    expect((await submit(h, uscc, `${'欢'.repeat(REPLY_MAX_CHARS - 1)}😀`)).status).toBe(201);

    const s = await body(await h.call('GET', paths(uscc).reply, me));
    const district = await h.token('district', { district: '西湖区' });
    await bad(paths(uscc).decision, district, { id: s.id, outcome: 'maybe' }, 'outcome');
    await bad(paths(uscc).decision, district, { outcome: 'approved' }, 'id');
    await bad(paths(uscc).decision, district, { id: s.id, outcome: 'refused', reason: '' }, 'reason');
    await bad(
      paths(uscc).decision,
      district,
      { id: s.id, outcome: 'refused', reason: '不\u0007实' },
      'reason',
    );
    expect(await body(await h.call('GET', paths(uscc).reply, me))).toMatchObject({ status: 'pending' });
    const unknown = await h.call('POST', paths(uscc).decision, district, {
      id: 'rpl-nope',
      outcome: 'approved',
    });
    expect(unknown.status).toBe(409);
    const bogus = await h.call('GET', '/v1/admin/institutions/91330106MA0000000X/reply', me);
    expect(bogus.status).toBe(400);
  });

  it('keeps one statement pending at a time; the same text again answers the pending one', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const first = await body(await expectStatus(submit(h, uscc), 201));
    const again = await body(await expectStatus(submit(h, uscc), 200));
    expect(again.id).toBe(first.id);
    const other = await submit(h, uscc, '换一种说法');
    expect(other.status).toBe(409);
    expect((await body(other)).detail).toContain('pending');
  });

  it('lets exactly one of two racing decisions win, and never lands a decision on a newer statement', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const district = await h.token('district', { district: '西湖区' });
    const s1 = await body(await expectStatus(submit(h, uscc), 201));
    const [approve, refuse] = await Promise.all([
      h.call('POST', paths(uscc).decision, district, { id: s1.id, outcome: 'approved' }),
      h.call('POST', paths(uscc).decision, district, { id: s1.id, outcome: 'refused', reason: '不实' }),
    ]);
    expect([approve.status, refuse.status].sort()).toEqual([200, 409]);
    const winner = approve.status === 200 ? 'approved' : 'refused';
    const me = await h.token('institution', { uscc });
    expect(await body(await h.call('GET', paths(uscc).reply, me))).toMatchObject({ status: winner });
    expect((await detail(h, uscc)).reply !== null).toBe(winner === 'approved');

    // Two submissions racing: exactly one is taken.
    const [a, b] = await Promise.all([submit(h, uscc, '说明甲'), submit(h, uscc, '说明乙')]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const s2 = await body(a.status === 201 ? a : b);

    // A decision naming the earlier statement never lands on the newer one.
    const stale = await h.call('POST', paths(uscc).decision, district, { id: s1.id, outcome: 'approved' });
    expect(stale.status).toBe(409);
    expect(await body(await h.call('GET', paths(uscc).reply, me))).toMatchObject({
      id: s2.id,
      status: 'pending',
    });

    // A submission racing the decision of the pending one: the decision stands on the statement it named.
    const [decided, next] = await Promise.all([
      h.call('POST', paths(uscc).decision, district, { id: s2.id, outcome: 'approved' }),
      submit(h, uscc, '说明丙'),
    ]);
    expect(decided.status).toBe(200);
    expect([200, 201, 409]).toContain(next.status);
    const shown = (await detail(h, uscc)).reply;
    expect(shown.text).toBe(s2.text);
    const latest = await body(await h.call('GET', paths(uscc).reply, me));
    if (next.status === 201) expect(latest).toMatchObject({ text: '说明丙', status: 'pending' });
    else expect(latest).toMatchObject({ id: s2.id, status: 'approved' });
  });

  it('is cleared when the next result is published, and a statement about the old grade lapses', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const district = await h.token('district', { district: '西湖区' });
    await approvedStatement(h, uscc);
    // A second statement, pending when the grade changes.
    const pending = await body(await expectStatus(submit(h, uscc, '补充说明'), 201));
    expect((await detail(h, uscc)).reply.text).toBe(STATEMENT);

    await publishReview(h, uscc, 96);
    const after = await detail(h, uscc);
    expect(after.grade).toBe('A');
    expect(after.reply).toBeNull();
    expect((await (await h.call('GET', `/i/${uscc}`, null)).text()).includes(STATEMENT)).toBe(false);

    const me = await h.token('institution', { uscc });
    expect(await body(await h.call('GET', paths(uscc).reply, me))).toMatchObject({
      id: pending.id,
      standing: 'lapsed',
    });
    const late = await h.call('POST', paths(uscc).decision, district, {
      id: pending.id,
      outcome: 'approved',
    });
    expect(late.status).toBe(409);
    expect((await detail(h, uscc)).reply).toBeNull();
    // The lapsed statement no longer blocks one about the new grade.
    const fresh = await body(await expectStatus(submit(h, uscc, '关于新等级的说明'), 201));
    expect(fresh.grade).toBe('A');
  });

  it('is cleared when a downgrade takes effect', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const district = await h.token('district', { district: '西湖区' });
    await approvedStatement(h, uscc);
    await expectStatus(
      h.call('POST', `/v1/admin/institutions/${uscc}/violations`, district, {
        occurredOn: h.clock.today(),
        type: 'violation',
        severity: 'general',
        description: '超范围执业',
      }),
      201,
    );
    const after = await detail(h, uscc);
    expect(after.grade).toBe('C');
    expect(after.reply).toBeNull();
  });

  it('is not shown for an ungraded clinic', async () => {
    const h = await adminHarness(dynamo);
    const district = await h.token('district', { district: '西湖区' });
    const reg = clinicIn('西湖区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', district, reg), 201);
    const res = await submit(h, reg.uscc);
    expect(res.status).toBe(422);
    expect((await body(res)).detail).toContain('no published grade');
  });
});
