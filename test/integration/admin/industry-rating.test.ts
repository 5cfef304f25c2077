import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, publishedClinic } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const ASSOCIATION = '中国整形美容协会';

describe('the association’s 1A–5A industry rating', () => {
  const dynamo = useTestDynamo();

  it('is recorded by the association or the city, shown apart from the grade, audited and removable', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 96);
    const path = `/v1/admin/institutions/${uscc}/industry-rating`;
    const association = await h.token('association', { association: ASSOCIATION });
    const rating = { level: '5A', ratedOn: '2026-11-20', ratedBy: ASSOCIATION, validUntil: '2030-11-19' };

    for (const role of ['district', 'district_admin', 'guidance', 'institution'] as const) {
      const token = await h.token(role, { district: '西湖区', uscc });
      expect((await h.call('PUT', path, token, rating)).status, role).toBe(403);
      expect((await h.call('DELETE', path, token)).status, role).toBe(403);
    }
    const other = await h.token('association', { association: '某省医学会' });
    expect((await h.call('PUT', path, other, rating)).status).toBe(403);

    const bad = async (input: object, field: string) => {
      const res = await h.call('PUT', path, association, input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(JSON.stringify(await body(res))).toContain(field);
    };
    await bad({ ...rating, level: '6A' }, 'level');
    await bad({ ...rating, level: 'A' }, 'level');
    await bad({ ...rating, ratedOn: '2026-02-30' }, 'ratedOn');
    await bad({ ...rating, ratedOn: '2026-11-31' }, 'ratedOn');
    await bad({ ...rating, ratedOn: '2026-12-01' }, 'ratedOn');
    await bad({ ...rating, validUntil: '2026-11-01' }, 'validUntil');
    await bad({ ...rating, ratedBy: '中国整形\u202E美容协会' }, 'ratedBy');
    await bad({ ...rating, extra: 1 }, 'extra');
    const { ratedBy: _omitted, ...noRater } = rating;
    await bad(noRater, 'ratedBy');

    await expectStatus(h.call('PUT', path, association, rating), 200);
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail.grade).toBe('A');
    expect(detail.industryRating).toMatchObject({
      level: '5A',
      ratedOn: '2026-11-20',
      ratedBy: ASSOCIATION,
      validUntil: '2030-11-19',
    });
    const page = await (await h.call('GET', `/i/${uscc}`, null)).text();
    expect(page).toContain('行业协会评价（非政府分级）');
    expect(page).toContain(`${ASSOCIATION}评价等级：5A`);

    const city = await h.token('city');
    await expectStatus(h.call('PUT', path, city, { ...rating, level: '4A', validUntil: undefined }), 200);
    expect((await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).industryRating).toMatchObject({
      level: '4A',
      validUntil: null,
    });
    await expectStatus(h.call('DELETE', path, association), 200);
    expect((await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).industryRating).toBeNull();

    const audit = await body(await h.call('GET', `/v1/admin/audit?uscc=${uscc}&limit=50`, city));
    const actions = (audit.items as Array<{ action: string; actor: { role: string } }>).filter((e) =>
      e.action.startsWith('industry_rating.'),
    );
    // The test clock stands still, so the three entries share one time: compare them as a set.
    expect(actions.map((e) => `${e.action}/${e.actor.role}`).sort()).toEqual([
      'industry_rating.delete/association',
      'industry_rating.put/association',
      'industry_rating.put/city',
    ]);
  });

  it('refuses an association token without its association claim', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 90);
    const token = await h.token('association');
    const res = await h.call('PUT', `/v1/admin/institutions/${uscc}/industry-rating`, token, {
      level: '3A',
      ratedOn: '2026-11-20',
      ratedBy: ASSOCIATION,
    });
    expect(res.status).toBe(401);
  });
});
