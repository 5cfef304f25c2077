import { describe, expect, it } from 'vitest';
import { adminHarness, clinicIn, expectStatus, hospitalIn, publishedClinic } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('violations, upgrades, inspection plans, watch list, coverage and audit', () => {
  const dynamo = useTestDynamo();

  it('downgrades by severity at once, moves the due date earlier, notifies and records dishonesty', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 97);
    const district = await h.token('district', { district: '西湖区' });
    const post = (v: object) => h.call('POST', `/v1/admin/institutions/${uscc}/violations`, district, v);

    const minor = await body(
      await expectStatus(
        post({
          occurredOn: '2026-11-24',
          type: 'violation',
          severity: 'minor',
          description: '公示信息不全',
          rectifiedOn: '2026-11-25',
        }),
        201,
      ),
    );
    expect(minor).toMatchObject({ gradeBefore: 'A', gradeAfter: null, entersDishonestyRecord: false });

    const serious = await body(
      await expectStatus(
        post({
          occurredOn: '2026-11-26',
          type: 'adverse_event',
          severity: 'serious',
          description: '不良社会事件',
        }),
        201,
      ),
    );
    expect(serious).toMatchObject({ gradeBefore: 'A', gradeAfter: 'C', entersDishonestyRecord: true });
    expect(serious.nextReviewDue).toBe('2028-11-28');
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail).toMatchObject({ grade: 'C', nextReviewDue: '2028-11-28' });
    expect(detail.history[0]).toMatchObject({ grade: 'C', reason: 'downgrade', publishedOn: '2026-11-28' });

    const severe = await body(
      await expectStatus(
        post({ occurredOn: '2026-11-27', type: 'accident', severity: 'severe', description: '医疗事故' }),
        201,
      ),
    );
    expect(severe).toMatchObject({ gradeBefore: 'C', gradeAfter: 'D', nextReviewDue: '2027-11-28' });
    const downgrades = h.notices.intents.filter((n) => n.kind === 'downgraded');
    expect(downgrades.map((n) => n.params.grade)).toEqual(['C', 'D']);
    const events = (await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true })).items;
    expect(events.filter((e) => e.type === 'downgraded').map((e) => e.after?.grade)).toEqual(['C', 'D']);

    const bad = await post({ occurredOn: '2030-01-01', type: 'other', severity: 'huge', description: '' });
    expect(bad.status).toBe(400);
    expect((await body(bad)).errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['type', 'severity', 'description']),
    );
  });

  it('refuses ineligible upgrade applications with 422 and the reason, bans for 2 years on an untrue self-assessment', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const a = await publishedClinic(h, 96);
    const asA = await h.token('institution', { uscc: a.uscc });
    const refusedA = await h.call('POST', `/v1/institutions/${a.uscc}/upgrade-applications`, asA, {
      selfScore: 99,
      report: '自评',
    });
    expect(refusedA.status).toBe(422);
    expect(await body(refusedA)).toMatchObject({ rule: 'grade_not_eligible' });

    const b = await publishedClinic(h, 90);
    const asB = await h.token('institution', { uscc: b.uscc });
    const apply = () =>
      h.call('POST', `/v1/institutions/${b.uscc}/upgrade-applications`, asB, {
        selfScore: 96,
        report: '自评报告',
      });
    const application = await body(await expectStatus(apply(), 201));
    expect(application).toMatchObject({ status: 'pending', year: 2026 });
    const twice = await apply();
    expect(twice.status).toBe(422);
    expect(await body(twice)).toMatchObject({ rule: 'already_applied_this_year' });

    const decide = (d: object) =>
      h.call('POST', `/v1/admin/upgrade-applications/${application.id}/decision`, city, d);
    expect(
      (
        await h.call('POST', `/v1/admin/upgrade-applications/${application.id}/decision`, asB, {
          outcome: 'refused',
        })
      ).status,
    ).toBe(403);
    const decided = await body(
      await expectStatus(decide({ outcome: 'untrue', reason: '自评报告隐瞒投诉' }), 200),
    );
    expect(decided).toMatchObject({ status: 'untrue', banUntil: '2028-12-05' });
    expect((await decide({ outcome: 'refused' })).status).toBe(409);
    // A retry asks again; the notifier's claim per institution, kind and cycle makes it one notice.
    const banNotices = h.notices.intents.filter((n) => n.kind === 'upgrade_banned');
    expect(new Set(banNotices.map((n) => `${n.uscc}#${n.cycle}`)).size).toBe(1);
    expect(banNotices[0]?.params.banUntil).toBe('2028-12-05');

    h.clock.set('2027-06-01T09:00:00+08:00');
    const banned = await apply();
    expect(banned.status).toBe(422);
    expect(await body(banned)).toMatchObject({ rule: 'banned', banUntil: '2028-12-05' });
  });

  it('turns an accepted application into an upgrade assessment that goes through the same lifecycle', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const c = await publishedClinic(h, 80);
    const me = await h.token('institution', { uscc: c.uscc });
    const application = await body(
      await expectStatus(
        h.call('POST', `/v1/institutions/${c.uscc}/upgrade-applications`, me, {
          selfScore: 88,
          report: '整改完成',
        }),
        201,
      ),
    );
    const district = await h.token('district', { district: '西湖区' });
    const missing = await h.call(
      'POST',
      `/v1/admin/upgrade-applications/${application.id}/decision`,
      district,
      {
        outcome: 'accepted',
      },
    );
    expect(missing.status).toBe(400);
    const accepted = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/upgrade-applications/${application.id}/decision`, district, {
          outcome: 'accepted',
          score: 87,
        }),
        200,
      ),
    );
    expect(accepted.assessmentId).toBeTruthy();
    expect(h.notices.intents.some((n) => n.kind === 'upgrade_accepted')).toBe(true);
    expect(h.notices.intents.some((n) => n.kind === 'upgrade_refused')).toBe(false);
    const assessment = await body(
      await h.call('GET', `/v1/admin/assessments/${accepted.assessmentId}`, city),
    );
    expect(assessment.result).toMatchObject({
      status: 'scored',
      reason: 'upgrade',
      grade: 'B',
      uscc: c.uscc,
    });
    const admin = await h.token('district_admin', { district: '西湖区' });
    await expectStatus(h.call('POST', `/v1/admin/assessments/${accepted.assessmentId}/approve`, admin), 200);
    expect(
      (
        await h.call(
          'POST',
          `/v1/admin/assessments/${accepted.assessmentId}/publish`,
          await h.token('guidance'),
        )
      ).status,
    ).toBe(409);
  });

  it('tells the institution when its application is refused, and lets it apply again next year', async () => {
    const h = await adminHarness(dynamo);
    const c = await publishedClinic(h, 77);
    const me = await h.token('institution', { uscc: c.uscc });
    const apply = () =>
      h.call('POST', `/v1/institutions/${c.uscc}/upgrade-applications`, me, {
        selfScore: 86,
        report: '自评',
      });
    const application = await body(await expectStatus(apply(), 201));
    const refused = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/upgrade-applications/${application.id}/decision`, await h.token('city'), {
          outcome: 'refused',
          reason: '材料不全',
        }),
        200,
      ),
    );
    expect(refused).toMatchObject({ status: 'refused', banUntil: null, assessmentId: null });
    expect(h.notices.intents.find((n) => n.kind === 'upgrade_refused')?.params.reason).toBe('材料不全');
    expect((await h.call('GET', `/v1/admin/upgrade-applications/${application.id}`, me)).status).toBe(200);
    h.clock.set('2027-01-04T09:00:00+08:00');
    expect((await apply()).status).toBe(201);
  });

  it('draws one reproducible inspection plan a year without notifying anyone, and checks a re-draw', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    for (const score of [97, 90, 80, 70, 60]) await publishedClinic(h, score);
    const noticesBefore = h.notices.intents.length;
    const plan = await body(
      await expectStatus(
        h.call('POST', '/v1/admin/inspection-plans', city, { year: 2027, seed: 'lottery-2027-01' }),
        201,
      ),
    );
    expect(
      plan.entries.map((e: { grade: string; population: number; size: number }) => [
        e.grade,
        e.population,
        e.size,
      ]),
    ).toEqual([
      ['A', 1, 0],
      ['B', 1, 0],
      ['C', 1, 0],
      ['D', 2, 1],
    ]);
    expect(h.notices.intents.length).toBe(noticesBefore);
    expect(
      (await h.call('POST', '/v1/admin/inspection-plans', city, { year: 2027, seed: 'other' })).status,
    ).toBe(409);
    const outOfBounds = await h.call('POST', '/v1/admin/inspection-plans', city, {
      year: 2028,
      seed: 's',
      rates: { A: 0.5 },
    });
    expect(outOfBounds.status).toBe(422);
    const district = await h.token('district', { district: '西湖区' });
    expect(
      (await h.call('POST', '/v1/admin/inspection-plans', district, { year: 2029, seed: 's' })).status,
    ).toBe(403);
    const read = await body(await expectStatus(h.call('GET', '/v1/admin/inspection-plans/2027', city), 200));
    expect(read.seed).toBe('lottery-2027-01');
    const check = await body(
      await expectStatus(h.call('POST', '/v1/admin/inspection-plans/2027/check', city), 200),
    );
    expect(check.matches).toBe(true);
    expect((await h.call('GET', '/v1/admin/inspection-plans/2030', city)).status).toBe(404);
    const trail = await body(await expectStatus(h.call('GET', '/v1/admin/audit?uscc=CITY', city), 200));
    expect(trail.items).toEqual([
      expect.objectContaining({
        action: 'inspection_plan.create',
        actor: expect.objectContaining({ role: 'city' }),
      }),
    ]);
    expect((await h.call('GET', '/v1/admin/audit?uscc=CITY', district)).status).toBe(403);
  });

  it('lists D institutions with high-risk services on the watch list and reports coverage per district', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const d = await publishedClinic(h, 60);
    await publishedClinic(h, 90);
    const unscored = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, unscored), 201);

    const list = await body(await expectStatus(h.call('GET', '/v1/admin/watch-list', city), 200));
    expect(list.items).toEqual([
      expect.objectContaining({ uscc: d.uscc, grade: 'D', reasons: ['抽脂手术'] }),
    ]);
    const binjiang = await h.token('district', { district: '滨江区' });
    expect((await body(await h.call('GET', '/v1/admin/watch-list', binjiang))).items).toEqual([]);
    expect(await (await h.call('GET', `/v1/institutions/${d.uscc}`, null)).text()).not.toMatch(/watch|抽脂/);

    const coverage = await body(await expectStatus(h.call('GET', '/v1/admin/coverage', city), 200));
    expect(coverage.summary).toEqual({ inScope: 3, published: 2, coverage: 0.6667 });
    expect(coverage.districts.find((r: { district: string }) => r.district === '西湖区')).toMatchObject({
      inScope: 2,
      published: 2,
      coverage: 1,
    });
    expect(coverage.districts.find((r: { district: string }) => r.district === '滨江区')).toMatchObject({
      inScope: 1,
      published: 0,
      coverage: 0,
    });
  });

  it('keeps who, when, what, before and after of every change in the audit trail', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const { uscc } = await publishedClinic(h, 88);
    await expectStatus(
      h.call('PATCH', `/v1/admin/institutions/${uscc}`, city, {
        address: '杭州市西湖区新地址8号',
        contacts: { phones: ['13912345678'] },
      }),
      200,
    );
    await expectStatus(
      h.call('POST', `/v1/admin/institutions/${uscc}/close`, city, { closedOn: '2026-11-28' }),
      200,
    );
    expect((await h.call('POST', `/v1/admin/institutions/${uscc}/close`, city)).status).toBe(409);

    const first = await body(
      await expectStatus(h.call('GET', `/v1/admin/audit?uscc=${uscc}&limit=4`, city), 200),
    );
    expect(first.items).toHaveLength(4);
    const second = await body(
      await h.call('GET', `/v1/admin/audit?uscc=${uscc}&limit=50&cursor=${first.nextCursor}`, city),
    );
    const all = [...first.items, ...second.items];
    // The test clock stands still between steps, so entries of one instant come in id order.
    expect(all.map((e: { action: string }) => e.action).sort()).toEqual([
      'assessment.approve',
      'assessment.publicise',
      'assessment.publish',
      'assessment.recheck',
      'assessment.score',
      'institution.close',
      'institution.register',
      'institution.update',
    ]);
    expect(all.map((e: { at: string }) => e.at)).toEqual(all.map((e: { at: string }) => e.at).sort());
    for (const e of all) {
      expect(e.actor.subject).toBeTruthy();
      expect(e.actor.role).toBeTruthy();
      expect(e.at).toBeTruthy();
      expect(e).toHaveProperty('before');
      expect(e).toHaveProperty('after');
    }
    const update = all.find((e: { action: string }) => e.action === 'institution.update');
    expect(update.before.profile.address).not.toBe(update.after.profile.address);
    // Contacts are kept masked in the trail.
    expect(update.after.private.contacts.phones).toEqual(['139****5678']);
    expect((await h.call('GET', `/v1/admin/audit?uscc=${uscc}&cursor=forged.cursor`, city)).status).toBe(400);

    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail).toMatchObject({ closed: true, closedOn: '2026-11-28', grade: 'B' });
  });

  it('refuses general hospitals and anything out of scope with 422 and a clear reason', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const base = clinicIn('西湖区');
    for (const reg of [
      { ...base, kind: 'general_hospital' },
      { ...base, generalHospital: true },
    ]) {
      const res = await h.call('POST', '/v1/admin/institutions', city, reg);
      expect(res.status).toBe(422);
      const problem = await body(res);
      expect(problem.rule).toBe('out_of_scope');
      expect(problem.detail).toMatch(/综合/);
    }
    // The name only warns: scope is decided by kind.
    for (const name of ['杭州市第一人民医院医疗美容科', '杭州某某综合门诊部']) {
      const warned = await body(
        await expectStatus(
          h.call('POST', '/v1/admin/institutions', city, { ...clinicIn('西湖区'), name }),
          201,
        ),
      );
      expect(warned.warnings).toEqual([expect.stringMatching(/综合/)]);
    }
    const genuine = await body(
      await expectStatus(
        h.call('POST', '/v1/admin/institutions', city, {
          ...clinicIn('西湖区'),
          name: '杭州悦颜医疗美容科技有限公司西湖医疗美容诊所',
        }),
        201,
      ),
    );
    expect(genuine).toMatchObject({ kind: 'clinic', name: '杭州悦颜医疗美容科技有限公司西湖医疗美容诊所' });
    expect(genuine.warnings).toBeUndefined();
    const badUscc = await h.call('POST', '/v1/admin/institutions', city, {
      ...base,
      uscc: '91330106MA2CFXKQ1O',
    });
    expect(badUscc.status).toBe(400);
    expect((await body(badUscc)).errors[0].path).toBe('uscc');
  });
});
