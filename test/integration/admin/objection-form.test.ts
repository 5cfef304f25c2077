import { describe, expect, it } from 'vitest';
import { OBJECTIONS_PER_CLIENT_PER_DAY } from '#shared/services/objections.ts';
import { type AdminHarness, adminHarness, expectStatus, hospitalInPublicity } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { objectFrom, solvedProof } from '../../support/proof.ts';

const ADDRESS = '203.0.113.7';

/** The institution page's objection form, posted as a browser posts it, from one client address. */
async function formPost(h: AdminHarness, resultId: string, text: string, altcha?: string): Promise<Response> {
  return h.app.request(`/v1/publicity/${resultId}/objections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': ADDRESS },
    body: new URLSearchParams({ text, altcha: altcha ?? (await solvedProof(h.app)) }).toString(),
  });
}

/** The refusal page's message (the alert) and the form it gives back. */
async function refusal(res: Response) {
  const html = await res.text();
  return {
    html,
    message: /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1],
    action: /<form[^>]*action="([^"]*)"/.exec(html)?.[1],
    typed: /<textarea[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1],
  };
}

/**
 * Every answer to an objection is personal and never cached (`Cache-Control: no-store`); a refusal of
 * the form is a page with the same Content-Security-Policy as every other page, and one over a limit
 * says when to come back (`Retry-After`), like the JSON answer does.
 */
describe('answers to an objection', () => {
  const dynamo = useTestDynamo();

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

  it('answers a lodged form with a receipt page naming the reference, the day and the institution', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id } = await hospitalInPublicity(h);
    const name = (await body(await h.app.request(`/v1/institutions/${uscc}`))).name;
    const res = await formPost(h, id, '收费与公示不符');
    expect(res.status).toBe(200);
    const [stored] = await h.deps.workflow.listObjections(id);
    expect(stored).toMatchObject({ text: '收费与公示不符', status: 'open' });
    const reference = stored?.reference ?? '';
    expect(reference).toMatch(/^[0-9A-Z]{8}$/);
    const html = await res.text();
    expect(html).toContain(
      `<strong class="reference">${reference.slice(0, 4)}-${reference.slice(4)}</strong>`,
    );
    expect(html).toContain('2026年11月23日');
    expect(html).toContain(`<dd>${name}</dd>`);
    expect(html).toContain(`href="/objections/${reference}"`);
  });

  it('answers a lodged JSON objection with its reference and the public address of its status', async () => {
    const h = await adminHarness(dynamo);
    const { id } = await hospitalInPublicity(h);
    const res = await objectFrom(h.app, id, ADDRESS, '价格欺诈');
    expect(res.status).toBe(201);
    const lodged = await body(res);
    const [stored] = await h.deps.workflow.listObjections(id);
    expect(lodged).toEqual({
      id: stored?.id,
      reference: stored?.reference,
      resultId: id,
      status: 'open',
      lodgedAt: '2026-11-23T10:00:00.000+08:00',
      statusUrl: `https://credit.example.test/objections/${stored?.reference}`,
    });
  });

  it('refuses a form with the reason, the text typed kept in the form and a link back to the institution', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id } = await hospitalInPublicity(h);
    const path = `/v1/publicity/${id}/objections`;

    // No proof of work: the browser ran no JavaScript.
    const noScript = await refusal(await formPost(h, id, '没有脚本也想提交', ''));
    expect(noScript.message).toBe(
      '为防止恶意刷量，提交异议前需要浏览器在本机完成一次防刷验证（工作量证明，不向第三方发送任何信息），这需要启用 JavaScript。请启用 JavaScript 后在下面重新提交；也可以通过接口提交（见 /docs）。',
    );
    expect(noScript.typed).toBe('没有脚本也想提交');
    expect(noScript.action).toBe(path);
    expect(noScript.html).toContain(`<a href="/i/${uscc}">返回机构页面</a>`);

    // Text the schema refuses: the problem's detail, after the proof of work was checked.
    const empty = await formPost(h, id, '   ');
    expect(empty.status).toBe(400);
    expect((await refusal(empty)).message).toBe('提交未成功：invalid objection');

    // The same text twice.
    await expectStatus(formPost(h, id, '同一条异议'), 200);
    const twice = await formPost(h, id, '同一条异议');
    expect(twice.status).toBe(409);
    const again = await refusal(twice);
    expect(again.message).toBe('该结果已不在公示期内，或同样内容的异议已经提交过。');
    expect(again.typed).toBe('同一条异议');

    // An unknown result has no institution to go back to.
    const unknown = await refusal(await formPost(h, 'r-none', '未知结果'));
    expect(unknown.message).toBe('提交未成功：no assessment with id r-none');
    expect(unknown.html).not.toContain('返回机构页面');
    expect(await h.deps.workflow.listObjections(id)).toHaveLength(1);
  });

  it('leaves requests other than a form post to the API: a form-encoded GET is not an objection', async () => {
    const h = await adminHarness(dynamo);
    const { id } = await hospitalInPublicity(h);
    const res = await h.app.request(`/v1/publicity/${id}/objections`, {
      method: 'GET',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await h.deps.workflow.listObjections(id)).toHaveLength(0);
  });

  it('refuses a form without its fields, or with neither text nor proof, as a browser without JavaScript sends it', async () => {
    const h = await adminHarness(dynamo);
    const { id } = await hospitalInPublicity(h);
    const post = (fields: Record<string, string>) =>
      h.app.request(`/v1/publicity/${id}/objections`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const noText = await post({ altcha: await solvedProof(h.app) });
    expect(noText.status).toBe(400);
    const page = await refusal(noText);
    expect(page.message).toBe('提交未成功：invalid objection');
    expect(page.typed).toBe('');
    // Whatever else is wrong, a missing proof of work is what the writer can mend: the page says so.
    const neither = await refusal(await post({ text: '' }));
    expect(neither.message).toContain('这需要启用 JavaScript');
    expect(await h.deps.workflow.listObjections(id)).toEqual([]);
  });

  it('refuses a form to a path no result can have with a page, never a 500', async () => {
    const h = await adminHarness(dynamo);
    for (const length of [81, 3000]) {
      const res = await formPost(h, 'r'.repeat(length), '编号过长');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      const page = await refusal(res);
      expect(page.message).toBe('提交未成功：invalid path: resultId');
      expect(page.typed).toBe('编号过长');
    }
  });

  it('answers a failure of the store during a form post with a 500 problem that reveals nothing', async () => {
    const h = await adminHarness(dynamo);
    const { id } = await hospitalInPublicity(h);
    h.deps.workflow.takeQuota = async () => {
      throw new Error('ProvisionedThroughputExceededException on table secret-table');
    };
    const res = await formPost(h, id, '存储故障');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.text()).not.toContain('secret-table');
  });
});
