import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBJECTIONS_PER_CLIENT_PER_DAY } from '#shared/services/objections.ts';
import { type AdminHarness, adminHarness, hospitalInPublicity } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { startTestDynamo, type TestDynamo } from '../../support/local-table.ts';
import { objectFrom, solvedProof } from '../../support/proof.ts';

const ADDRESS = '203.0.113.7';

/** The institution page's objection form, posted as a browser posts it, from one client address. */
async function formPost(h: AdminHarness, resultId: string, text: string): Promise<Response> {
  return h.app.request(`/v1/publicity/${resultId}/objections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': ADDRESS },
    body: new URLSearchParams({ text, altcha: await solvedProof(h.app) }).toString(),
  });
}

/**
 * Every answer to an objection is personal and never cached (`Cache-Control: no-store`); a refusal of
 * the form is a page with the same Content-Security-Policy as every other page, and one over a limit
 * says when to come back (`Retry-After`), like the JSON answer does.
 */
describe('answers to an objection', () => {
  let dynamo: TestDynamo;
  beforeAll(async () => {
    dynamo = await startTestDynamo();
  });
  afterAll(async () => dynamo.close());

  it('are never cached, and a refused form gets a page under the pages’ CSP with Retry-After over the limit', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id } = await hospitalInPublicity(h);
    const pageCsp = (await h.app.request(`/i/${uscc}`)).headers.get('content-security-policy');
    expect(pageCsp).toContain("default-src 'none'");

    const json = await objectFrom(h.app, id, '198.51.100.2', '评分与实际不符');
    expect(json.status).toBe(201);
    expect(json.headers.get('cache-control')).toBe('no-store');

    for (let i = 0; i < OBJECTIONS_PER_CLIENT_PER_DAY; i++) {
      const accepted = await formPost(h, id, `表单异议 ${i}`);
      expect(accepted.status).toBe(200);
      expect(accepted.headers.get('cache-control')).toBe('no-store');
      expect(accepted.headers.get('content-security-policy')).toBe(pageCsp);
    }
    const over = await formPost(h, id, '第四条');
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toContain('text/html');
    expect(over.headers.get('cache-control')).toBe('no-store');
    expect(over.headers.get('content-security-policy')).toBe(pageCsp);
    // 10:00 in Shanghai: the address may object again after midnight, 14 hours on.
    expect(over.headers.get('retry-after')).toBe(String(14 * 3600));
    expect(await over.text()).toContain('异议未能提交');

    const invalid = await formPost(h, id, '');
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('cache-control')).toBe('no-store');
    expect(invalid.headers.get('content-security-policy')).toBe(pageCsp);
    expect(invalid.headers.get('retry-after')).toBeNull();

    const unknown = await formPost(h, 'r-none', '未知结果');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(unknown.headers.get('content-security-policy')).toBe(pageCsp);
    expect(unknown.headers.get('retry-after')).toBeNull();

    expect((await h.deps.workflow.listObjections(id)).length).toBe(1 + OBJECTIONS_PER_CLIENT_PER_DAY);
    expect((await body(await h.app.request(`/v1/institutions/${uscc}`))).publicity.resultId).toBe(id);
  });

  it('counts each client apart by the address the platform saw when no forwarded address is sent', async () => {
    const h = await adminHarness(dynamo);
    const { id } = await hospitalInPublicity(h);
    // API Gateway's REST (v1) and HTTP (v2) events carry the source address in different places.
    const fromPlatform = async (requestContext: object, text: string) =>
      h.app.request(
        `/v1/publicity/${id}/objections`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text, altcha: await solvedProof(h.app) }),
        },
        { event: { requestContext } },
      );
    const first = { http: { sourceIp: '203.0.113.50' } };
    const statuses: number[] = [];
    for (let i = 0; i <= OBJECTIONS_PER_CLIENT_PER_DAY; i++) {
      statuses.push((await fromPlatform(first, `第${i}条`)).status);
    }
    expect(statuses).toEqual([...Array(OBJECTIONS_PER_CLIENT_PER_DAY).fill(201), 429]);
    expect((await fromPlatform({ http: { sourceIp: '198.51.100.60' } }, '另一位')).status).toBe(201);
    expect((await fromPlatform({ identity: { sourceIp: '192.0.2.70' } }, '第三位')).status).toBe(201);
  });
});
