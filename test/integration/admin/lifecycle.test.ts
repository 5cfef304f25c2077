import { describe, expect, it } from 'vitest';
import {
  adminHarness,
  clinicIn,
  expectStatus,
  hospitalIn,
  nextDay,
  publishedClinic,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { solvedProof } from '../../support/proof.ts';

describe('grading lifecycle through the admin API', () => {
  const dynamo = useTestDynamo();

  it('takes a clinic from scoring to publication and projects profile, feed and notices', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id } = await publishedClinic(h, 88.5);

    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail).toMatchObject({
      grade: 'B',
      score: 88.5,
      publishedOn: '2026-11-28',
      reviewOverdue: false,
    });
    expect(detail.nextReviewDue).toBe('2029-11-28');
    expect(detail.publicity).toBeNull();
    expect(detail.history).toEqual([
      expect.objectContaining({ grade: 'B', score: 88.5, publishedOn: '2026-11-28', reason: 'initial' }),
    ]);

    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    expect(feed.items.map((e) => e.type)).toEqual([
      'institution_registered',
      'publicity_started',
      'published',
    ]);
    expect(feed.items[2]).toMatchObject({
      uscc,
      after: { grade: 'B', resultId: id, nextReviewDue: '2029-11-28' },
    });

    expect(h.notices.intents.map((n) => n.kind)).toEqual(['publicity_started', 'result_published']);
    expect(h.notices.intents[0]?.params.name).toBe(detail.name);
    expect(h.notices.intents[1]?.params).toMatchObject({
      grade: 'B',
      score: 88.5,
      nextReviewDue: '2029-11-28',
    });

    const result = await body(await h.call('GET', `/v1/admin/assessments/${id}`, await h.token('city')));
    expect(result.result.status).toBe('published');
  });

  it('sends hospitals straight from scoring to publicity, with 5 working days over a weekend', async () => {
    const h = await adminHarness(dynamo, { now: '2026-11-25T10:00:00+08:00' });
    const city = await h.token('city');
    const reg = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const scored = await body(
      await expectStatus(
        h.call('POST', '/v1/admin/assessments', city, {
          uscc: reg.uscc,
          score: 95,
          breakdown: { 依法执业: 40, 医疗质量: 55 },
          assessedOn: '2026-11-20',
          reason: 'initial',
        }),
        201,
      ),
    );
    expect(scored).toMatchObject({ grade: 'A', status: 'scored' });
    expect((await h.call('POST', `/v1/admin/assessments/${scored.id}/approve`, city)).status).toBe(403);
    const window = await body(
      await expectStatus(h.call('POST', `/v1/admin/assessments/${scored.id}/publicity`, city), 200),
    );
    expect(window).toMatchObject({ startOn: '2026-11-25', endOn: '2026-12-01', status: 'in_publicity' });
    const detail = await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null));
    expect(detail.publicity).toMatchObject({ resultId: scored.id, proposedGrade: 'A', endOn: '2026-12-01' });
  });

  it('refuses every step taken out of order with 409 and names what is possible', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const district = await h.token('district', { district: '西湖区' });
    const admin = await h.token('district_admin', { district: '西湖区' });
    const guidance = await h.token('guidance');
    const reg = clinicIn('西湖区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', district, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', district, {
        uscc: reg.uscc,
        score: 80,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    const step = (path: string, token: string) =>
      h.call('POST', `/v1/admin/assessments/${id}/${path}`, token);

    // scored
    expect((await step('recheck', city)).status).toBe(409);
    expect((await step('publicity', city)).status).toBe(409);
    expect((await step('publish', guidance)).status).toBe(409);
    await expectStatus(step('approve', admin), 200);
    // approved
    const again = await step('approve', admin);
    expect(again.status).toBe(409);
    expect((await body(again)).detail).toContain('possible now: recheck, withdraw');
    expect((await step('publicity', city)).status).toBe(409);
    await expectStatus(step('recheck', city), 200);
    // rechecked
    expect((await step('recheck', city)).status).toBe(409);
    expect((await step('publish', guidance)).status).toBe(409);
    await expectStatus(step('publicity', city), 200);
    // in publicity
    expect((await step('publicity', city)).status).toBe(409);
    const early = await step('publish', guidance);
    expect(early.status).toBe(409);
    expect((await body(early)).detail).toContain('2026-11-27');
    h.clock.set('2026-11-28T08:00:00+08:00');
    await expectStatus(step('publish', guidance), 200);
    // published: final
    for (const [path, token] of [
      ['approve', admin],
      ['recheck', city],
      ['publicity', city],
      ['publish', guidance],
      ['withdraw', city],
    ] as const) {
      expect((await step(path, token)).status).toBe(409);
    }
  });

  it('refuses the clinic-only steps on a hospital result and publishes one the publicity job has closed', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('临安区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 99,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    expect((await h.call('POST', `/v1/admin/assessments/${id}/recheck`, city)).status).toBe(409);
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
    h.clock.set('2026-11-28T09:00:00+08:00');
    // What the scheduled job records once publicity is over.
    const stored = (await h.deps.results.get(id))!;
    await h.deps.results.replace(stored, { ...stored, status: 'publicity_ended' });
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')), 200);
    expect((await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null))).grade).toBe('A');
  });

  it('lets the city withdraw before publication, and a withdrawn result goes nowhere', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('上城区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 70,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/withdraw`, city), 200);
    expect(
      (await h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance'))).status,
    ).toBe(409);
    const detail = await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null));
    expect(detail.publicity).toBeNull();
    const types = (await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true })).items.map(
      (e) => e.type,
    );
    expect(types).toEqual(['institution_registered', 'publicity_started', 'withdrawn']);
  });

  it('takes objections only during publicity, blocks publication while one is open, and withdraws on an upheld one', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const guidance = await h.token('guidance');
    const reg = hospitalIn('拱墅区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 90,
        assessedOn: '2026-11-23',
        reason: 'review',
      }),
    );
    expect((await h.call('POST', `/v1/publicity/${id}/objections`, null, { text: '太早了' })).status).toBe(
      409,
    );
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
    const tooLong = await h.call('POST', `/v1/publicity/${id}/objections`, null, { text: '长'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect((await body(tooLong)).errors[0].path).toBe('text');
    expect(
      (await h.call('POST', '/v1/publicity/no-such-result/objections', null, { text: '异议' })).status,
    ).toBe(404);

    const first = await body(
      await expectStatus(h.call('POST', `/v1/publicity/${id}/objections`, null, { text: '评分过高' }), 201),
    );
    const second = await body(
      await expectStatus(h.call('POST', `/v1/publicity/${id}/objections`, null, { text: '有投诉' }), 201),
    );

    h.clock.set('2026-11-28T09:00:00+08:00');
    const blocked = await h.call('POST', `/v1/admin/assessments/${id}/publish`, guidance);
    expect(blocked.status).toBe(409);
    expect((await body(blocked)).detail).toContain('objection');
    expect((await h.call('POST', `/v1/publicity/${id}/objections`, null, { text: '太晚了' })).status).toBe(
      409,
    );

    const resolve = (oid: string, upheld: boolean, token = city) =>
      h.call('POST', `/v1/admin/objections/${oid}/resolve`, token, { upheld, resolution: '经核查' });
    expect((await resolve(first.id, false, guidance)).status).toBe(403);
    await expectStatus(resolve(first.id, false), 200);
    expect((await resolve(first.id, false)).status).toBe(409);
    const upheld = await body(await expectStatus(resolve(second.id, true), 200));
    expect(upheld.result.status).toBe('withdrawn');
    expect((await h.call('POST', `/v1/admin/assessments/${id}/publish`, guidance)).status).toBe(409);

    const detail = await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null));
    expect(detail.publicity).toBeNull();
    expect(detail.grade).toBeNull();
    const types = (await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true })).items.map(
      (e) => e.type,
    );
    expect(types).toEqual(['institution_registered', 'publicity_started', 'objection_upheld', 'withdrawn']);
  });

  it('takes an objection from the institution page form and answers with a page', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('建德市');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 93,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    const post = async (proof = true) =>
      h.app.request(`/v1/publicity/${id}/objections`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          text: '该机构存在未处理的投诉',
          altcha: proof ? await solvedProof(h.app) : '',
        }).toString(),
      });
    const early = await post();
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('不在公示期内');
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
    // A browser without JavaScript cannot do the proof of work: the answer says so, nothing is stored.
    const noScript = await post(false);
    expect(noScript.status).toBe(400);
    expect(await noScript.text()).toContain('需要启用 JavaScript');
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('异议已提交');
    const detail = await body(await h.call('GET', `/v1/admin/assessments/${id}`, city));
    expect(detail.objections).toEqual([
      expect.objectContaining({ status: 'open', text: '该机构存在未处理的投诉' }),
    ]);
  });

  it('publishes once the last objection is dismissed', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('余杭区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 76,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
    const o = await body(await h.call('POST', `/v1/publicity/${id}/objections`, null, { text: '异议' }));
    const decided = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/objections/${o.id}/resolve`, city, { upheld: false, resolution: '不成立' }),
        200,
      ),
    );
    // The answer is the objection as decided and the result it leaves in publicity.
    expect(decided.objection).toMatchObject({
      id: o.id,
      resultId: id,
      status: 'dismissed',
      resolution: '不成立',
    });
    expect(decided.result).toMatchObject({ id, uscc: reg.uscc, status: 'in_publicity' });
    h.clock.set(`${nextDay('2026-11-27')}T09:00:00+08:00`);
    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')), 200);
    expect((await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null))).grade).toBe('C');
  });

  it('refuses a publicity the working-day calendar cannot date with 422', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('萧山区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 86,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    const res = await h.call('POST', `/v1/admin/assessments/${id}/publicity`, city, {
      startOn: '2027-03-01',
    });
    expect(res.status).toBe(422);
    expect((await body(res)).type).toContain('calendar-not-covered');
    const past = await h.call('POST', `/v1/admin/assessments/${id}/publicity`, city, {
      startOn: '2026-11-01',
    });
    expect(past.status).toBe(400);
  });

  it('lists every invalid field of a scoring and refuses a breakdown that does not add up', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('临平区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const bad = await h.call('POST', '/v1/admin/assessments', city, {
      uscc: reg.uscc,
      score: 'x',
      reason: 'other',
    });
    expect(bad.status).toBe(400);
    const paths = (await body(bad)).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['score', 'assessedOn', 'reason']));
    const sum = await h.call('POST', '/v1/admin/assessments', city, {
      uscc: reg.uscc,
      score: 90,
      breakdown: { 依法执业: 40, 医疗质量: 40 },
      assessedOn: '2026-11-23',
      reason: 'initial',
    });
    expect(sum.status).toBe(400);
    expect((await body(sum)).errors[0].path).toBe('breakdown');
  });
});
