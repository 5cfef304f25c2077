import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, hospitalIn } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('breakdown item names', () => {
  const dynamo = useTestDynamo();

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'refuses %s with 400 naming the field',
    async (name) => {
      const h = await adminHarness(dynamo);
      const city = await h.token('city');
      const reg = hospitalIn('西湖区');
      await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
      const res = await h.app.request('/v1/admin/assessments', {
        method: 'POST',
        headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
        body: `{"uscc":"${reg.uscc}","score":90,"assessedOn":"2026-11-23","reason":"initial","breakdown":{"${name}":90}}`,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify((await body(res)).errors)).toContain('breakdown');
    },
  );
});
