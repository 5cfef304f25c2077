import { describe, expect, it } from 'vitest';
import { adminHarness, newUscc } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * A write naming a valid uscc that nobody registered is 404 (API.md: 404 unknown), never a 500, and
 * writes nothing: each writing route that takes an institution, called by a role allowed to call it.
 */
describe('a write to an institution that is not registered', () => {
  const dynamo = useTestDynamo();

  it('is 404 naming the uscc, on every route, and stores nothing', async () => {
    const h = await adminHarness(dynamo);
    const uscc = newUscc();
    const city = await h.token('city');
    const itself = await h.token('institution', { uscc });
    const inst = `/v1/admin/institutions/${uscc}`;
    const writes: Array<[string, string, string, unknown?]> = [
      ['PATCH', inst, city, { address: '杭州市上城区测试路9号' }],
      ['POST', `${inst}/close`, city, {}],
      [
        'PUT',
        `${inst}/industry-rating`,
        city,
        { level: '5A', ratedOn: '2026-11-20', ratedBy: '中国整形美容协会' },
      ],
      ['DELETE', `${inst}/industry-rating`, city],
      [
        'POST',
        `${inst}/violations`,
        city,
        { occurredOn: '2026-11-20', type: 'violation', severity: 'severe', description: '医疗事故' },
      ],
      [
        'POST',
        '/v1/admin/assessments',
        city,
        { uscc, score: 90, assessedOn: '2026-11-20', reason: 'initial' },
      ],
      ['PUT', `/v1/institutions/${uscc}/contacts`, itself, { phones: ['13988880000'], wechatOpenIds: [] }],
      [
        'POST',
        `/v1/institutions/${uscc}/upgrade-applications`,
        itself,
        { selfScore: 96, report: '自评报告' },
      ],
    ];
    for (const [method, path, token, payload] of writes) {
      const res = await h.call(method, path, token, payload);
      const what = `${method} ${path}`;
      expect(res.status, what).toBe(404);
      expect(res.headers.get('content-type'), what).toContain('application/problem+json');
      expect((await body(res)).detail, what).toContain(uscc);
    }
    expect(await h.deps.reader.getProfile(uscc, true)).toBeNull();
    expect((await h.deps.audit.list(uscc, null, 50)).items).toEqual([]);
  });
});
