import { describe, expect, it } from 'vitest';
import {
  adminHarness,
  expectStatus,
  hospitalIn,
  postPublicity,
  publishedClinic,
  scoreResult,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('least privilege', () => {
  const dynamo = useTestDynamo();

  it('shows a district only its own clinics of the inspection plan, without the seed', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const ours = await publishedClinic(h, 60);
    // A D hospital of the same district: the city inspects it, so it is not the district's part.
    const other = hospitalIn('西湖区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, other), 201);
    const scored = await scoreResult(h, city, other.uscc, 60);
    await postPublicity(h, city, scored.id);
    h.clock.set(new Date(h.clock.now().getTime() + 14 * 86_400_000).toISOString());
    await expectStatus(
      h.call('POST', `/v1/admin/assessments/${scored.id}/publish`, await h.token('guidance')),
      200,
    );
    await expectStatus(
      h.call('POST', '/v1/admin/inspection-plans', city, { year: 2027, seed: 's-1', rates: { D: 1 } }),
      201,
    );
    const whole = await body(await expectStatus(h.call('GET', '/v1/admin/inspection-plans/2027', city), 200));
    const drawnAll = whole.entries.flatMap((e: { drawn: string[] }) => e.drawn);
    expect(drawnAll).toEqual(expect.arrayContaining([ours.uscc, other.uscc]));
    const xihu = await h.token('district', { district: '西湖区' });
    const part = await body(await expectStatus(h.call('GET', '/v1/admin/inspection-plans/2027', xihu), 200));
    expect(part.seed).toBeUndefined();
    expect(part.population).toBeUndefined();
    expect(part.district).toBe('西湖区');
    expect(part.entries.flatMap((e: { drawn: string[] }) => e.drawn)).toEqual([ours.uscc]);
    const shangcheng = await h.token('district_admin', { district: '上城区' });
    const theirs = await body(
      await expectStatus(h.call('GET', '/v1/admin/inspection-plans/2027', shangcheng), 200),
    );
    expect(theirs.entries.flatMap((e: { drawn: string[] }) => e.drawn)).toEqual([]);
    expect((await h.call('POST', '/v1/admin/inspection-plans/2027/check', xihu)).status).toBe(403);
  });

  it('shows the guidance group no contact details', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 90);
    const city = await body(await h.call('GET', `/v1/admin/institutions/${uscc}`, await h.token('city')));
    expect(city.private.contacts.phones).toEqual(['13988880000']);
    const res = await expectStatus(
      h.call('GET', `/v1/admin/institutions/${uscc}`, await h.token('guidance')),
      200,
    );
    const text = await res.text();
    expect(text).not.toContain('13988880000');
    expect(text).not.toContain('o-test-openid');
    expect(JSON.parse(text).private.contacts).toBeUndefined();
  });

  it('audits an institution changing its own contacts, with the values masked', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 90);
    const me = await h.token('institution', { uscc });
    await expectStatus(
      h.call('PUT', `/v1/institutions/${uscc}/contacts`, me, {
        phones: ['13700001111'],
        wechatOpenIds: ['oNEWopenid_0123456789'],
      }),
      200,
    );
    const trail = await h.call('GET', `/v1/admin/audit?uscc=${uscc}&limit=50`, await h.token('city'));
    const text = await trail.text();
    const entries = JSON.parse(text).items as { action: string; before: unknown; after: unknown }[];
    const change = entries.find((e) => e.action === 'institution.contacts');
    expect(change).toMatchObject({
      before: { phones: ['139****0000'] },
      after: { phones: ['137****1111'], wechatOpenIds: ['oNEW****6789'] },
    });
    // No contact in the clear anywhere in the trail, registration included.
    for (const clear of ['13700001111', 'oNEWopenid_0123456789', '13988880000', 'o-test-openid']) {
      expect(text).not.toContain(clear);
    }
  });

  it('gives upgrade applications and objections unguessable ids', async () => {
    const h = await adminHarness(dynamo, { now: '2026-11-23T10:00:00+08:00' });
    const { uscc } = await publishedClinic(h, 90);
    const me = await h.token('institution', { uscc });
    const a = await body(
      await expectStatus(
        h.call('POST', `/v1/institutions/${uscc}/upgrade-applications`, me, {
          selfScore: 96,
          report: '自评',
        }),
        201,
      ),
    );
    expect(a.id).toMatch(/^upg-[0-9a-f]{32}$/);
    expect(a.id).not.toContain(uscc);
    const h2 = await adminHarness(dynamo);
    const city = await h2.token('city');
    const reg = hospitalIn('上城区');
    await expectStatus(h2.call('POST', '/v1/admin/institutions', city, reg), 201);
    const { id } = await body(
      await h2.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 90,
        assessedOn: '2026-11-23',
        reason: 'initial',
      }),
    );
    await expectStatus(h2.call('POST', `/v1/admin/assessments/${id}/publicity`, city), 200);
    const o = await body(
      await expectStatus(h2.call('POST', `/v1/publicity/${id}/objections`, null, { text: '异议' }), 201),
    );
    expect(o.id.slice(id.length + 1)).toMatch(/^[0-9a-f]{32}$/);
  });
});
