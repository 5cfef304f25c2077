import { describe, expect, it } from 'vitest';
import {
  type AdminHarness,
  adminHarness,
  cityResultInPublicity,
  expectStatus,
  nextDay,
  publishedClinic,
  registeredHospital,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('upgrade applications: the clinic path and the 2-year ban found later', () => {
  const dynamo = useTestDynamo();

  async function applyFor(h: AdminHarness, uscc: string) {
    const me = await h.token('institution', { uscc });
    return h.call('POST', `/v1/institutions/${uscc}/upgrade-applications`, me, {
      selfScore: 96,
      report: '自评报告',
    });
  }

  it('a clinic upgrade is scored by its district, approved by the district admin and re-checked by the city', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const application = await body(await expectStatus(applyFor(h, uscc), 201));
    const decide = async (token: string, d: object) =>
      h.call('POST', `/v1/admin/upgrade-applications/${application.id}/decision`, token, d);
    const city = await h.token('city');
    const cityAccepts = await decide(city, { outcome: 'accepted', score: 96 });
    expect(cityAccepts.status).toBe(403);
    expect((await body(cityAccepts)).detail).toContain('西湖区');
    const otherDistrict = await h.token('district', { district: '滨江区' });
    expect((await decide(otherDistrict, { outcome: 'accepted', score: 96 })).status).toBe(403);

    const district = await h.token('district', { district: '西湖区' });
    const accepted = await body(
      await expectStatus(decide(district, { outcome: 'accepted', score: 96 }), 200),
    );
    const detail = await body(
      await expectStatus(h.call('GET', `/v1/admin/assessments/${accepted.assessmentId}`, city), 200),
    );
    expect(detail.result).toMatchObject({ status: 'scored', reason: 'upgrade', createdBy: 'test-district' });
    // The clinic path: the city may not re-check before the district admin approves.
    const recheck = () => h.call('POST', `/v1/admin/assessments/${accepted.assessmentId}/recheck`, city);
    expect((await recheck()).status).toBe(409);
    const admin = await h.token('district_admin', { district: '西湖区' });
    await expectStatus(h.call('POST', `/v1/admin/assessments/${accepted.assessmentId}/approve`, admin), 200);
    await expectStatus(recheck(), 200);
    const w = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${accepted.assessmentId}/publicity`, city),
        200,
      ),
    );
    h.clock.set(`${nextDay(w.endOn)}T09:00:00+08:00`);
    await expectStatus(
      h.call('POST', `/v1/admin/assessments/${accepted.assessmentId}/publish`, await h.token('guidance')),
      200,
    );
    expect((await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).grade).toBe('A');
  });

  it('the city accepts and scores a hospital upgrade; a district officer may not decide it', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, city } = await registeredHospital(h, '西湖区');
    const first = await cityResultInPublicity(h, uscc, 88);
    h.clock.set(`${nextDay(first.endOn)}T09:00:00+08:00`);
    await expectStatus(
      h.call('POST', `/v1/admin/assessments/${first.id}/publish`, await h.token('guidance')),
      200,
    );
    const application = await body(await expectStatus(applyFor(h, uscc), 201));
    const path = `/v1/admin/upgrade-applications/${application.id}/decision`;
    const district = await h.token('district', { district: '西湖区' });
    expect((await h.call('POST', path, district, { outcome: 'accepted', score: 96 })).status).toBe(403);
    const accepted = await body(
      await expectStatus(h.call('POST', path, city, { outcome: 'accepted', score: 96 }), 200),
    );
    const detail = await body(await h.call('GET', `/v1/admin/assessments/${accepted.assessmentId}`, city));
    expect(detail.result).toMatchObject({ status: 'scored', reason: 'upgrade', createdBy: 'test-city' });
  });

  it('an untrue self-assessment found at a later inspection bans applications for 2 years from the finding', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 88);
    const application = await body(await expectStatus(applyFor(h, uscc), 201));
    const city = await h.token('city');
    const finding = (token: string, f: object) =>
      h.call('POST', `/v1/admin/upgrade-applications/${application.id}/untrue-finding`, token, f);
    const report = { foundOn: h.clock.today(), foundAt: 'inspection', reason: '自评报告隐瞒投诉' };
    // Not decided yet: the decision itself says untrue.
    expect((await finding(city, report)).status).toBe(409);
    await expectStatus(
      h.call('POST', `/v1/admin/upgrade-applications/${application.id}/decision`, city, {
        outcome: 'refused',
        reason: '材料不全',
      }),
      200,
    );

    h.clock.set('2027-03-01T10:00:00+08:00');
    const me = await h.token('institution', { uscc });
    expect((await finding(me, { ...report, foundOn: '2027-03-01' })).status).toBe(403);
    expect((await finding(city, { ...report, foundOn: '2027-03-02' })).status).toBe(400);
    expect((await finding(city, { ...report, foundOn: '2027-02-30' })).status).toBe(400);
    expect((await finding(city, { ...report, foundAt: 'rumour', foundOn: '2027-03-01' })).status).toBe(400);
    const found = await body(await expectStatus(finding(city, { ...report, foundOn: '2027-03-01' }), 200));
    expect(found).toMatchObject({ status: 'refused', banUntil: '2029-03-01' });
    expect((await finding(city, { ...report, foundOn: '2027-03-01' })).status).toBe(409);
    const notice = h.notices.intents.find((n) => n.kind === 'upgrade_banned');
    expect(notice?.params.banUntil).toBe('2029-03-01');
    const audit = await body(await h.call('GET', `/v1/admin/audit?uscc=${uscc}&limit=50`, city));
    expect((audit.items as Array<{ action: string }>).map((e) => e.action)).toContain(
      'upgrade.untrue_finding',
    );

    const refused = await applyFor(h, uscc);
    expect(refused.status).toBe(422);
    const problem = await body(refused);
    expect(problem).toMatchObject({ rule: 'banned', banUntil: '2029-03-01' });
    expect(problem.detail).toContain('2029-03-01');
    h.clock.set('2029-02-28T10:00:00+08:00');
    expect((await applyFor(h, uscc)).status).toBe(422);
    h.clock.set('2029-03-01T10:00:00+08:00');
    expect((await applyFor(h, uscc)).status).toBe(201);
  });
});
