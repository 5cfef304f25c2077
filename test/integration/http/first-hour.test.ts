import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES } from '#shared/http/request-checks.ts';
import { problemForParseError } from '#shared/local/client-errors.ts';
import { demoApp } from '../../support/demo-app.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { solvedProof } from '../../support/proof.ts';

const PLUS_EIGHT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;
const CJK = /[\u4e00-\u9fff]/;

type ProblemBody = { type: string; status: number; detail: string; errors?: Array<{ path: string }> };

describe('errors a newcomer meets, as problem bodies in Chinese and English', () => {
  const dynamo = useTestDynamo();
  let demo: Awaited<ReturnType<typeof demoApp>>;
  let objectionPath: string;

  beforeAll(async () => {
    demo = await demoApp(dynamo, 60);
    const page = (await (await demo.app.request('/v1/publicity')).json()) as {
      items: Array<{ objection: { url: string } }>;
    };
    objectionPath = new URL(page.items[0]?.objection.url as string).pathname;
  });

  const postJson = (body: string) =>
    demo.app.request(objectionPath, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });

  it('says what is wrong with invalid JSON and where, Chinese first', async () => {
    const res = await postJson('{\n  "text": "评分过高",\n}');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const p = (await res.json()) as ProblemBody;
    expect(p.type).toMatch(/malformed-json$/);
    expect(p.detail).toMatch(
      /^请求体不是有效的 JSON：.*第 3 行第 1 列。The request body is not valid JSON: .*line 3, column 1\.$/,
    );
    expect(p.detail).toContain('double quotes');
    expect(p.errors?.[0]?.path).toBe('body');
  });

  it('says where a JSON body ends too early, and that an empty one is empty', async () => {
    const cut = (await (await postJson('{"text": ')).json()) as ProblemBody;
    expect(cut.detail).toContain('JSON 不完整');
    expect(cut.detail).toContain('line 1, column 10');
    const unclosed = (await (await postJson('{"text": "异议"')).json()) as ProblemBody;
    expect(unclosed.detail).toContain('缺少逗号或右括号：第 1 行第 14 列');
    const empty = (await (await postJson('')).json()) as ProblemBody;
    expect(empty.detail).toContain('请求体为空');
    expect(empty.detail).toContain('the request body is empty');
    // A well-formed body still reaches the route (the text read for the check is not lost).
    expect(
      (await postJson(JSON.stringify({ text: '评分过高', altcha: await solvedProof(demo.app) }))).status,
    ).toBe(201);
  });

  it('answers oversized headers with 431 and a problem body', async () => {
    const res = await demo.app.request('/v1/institutions', {
      headers: { 'X-Padding': 'a'.repeat(MAX_HEADER_BYTES + 1) },
    });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const p = (await res.json()) as ProblemBody;
    expect(p.status).toBe(431);
    expect(p.detail).toMatch(/^请求头过大/);
  });

  it('answers an oversized body with 413 and a problem body', async () => {
    const res = await postJson(JSON.stringify({ text: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
    const p = (await res.json()) as ProblemBody;
    expect(p.status).toBe(413);
    expect(p.detail).toContain('请求体过大');
  });

  it('answers a raw Chinese query correctly once encoded, and explains the raw one (local parser)', async () => {
    const res = await demo.app.request('/v1/institutions?q=西湖');
    expect(res.status).toBe(200);
    const p = problemForParseError('HPE_INVALID_URL', 'Parse Error: Invalid char in url query');
    expect(p.status).toBe(400);
    expect(p.detail).toMatch(/^网址中含有未编码的字符/);
    expect(p.detail).toContain('%E8%A5%BF%E6%B9%96');
    expect(problemForParseError('HPE_HEADER_OVERFLOW', '').status).toBe(431);
  });
});

describe('pages and documents a newcomer reads', () => {
  const dynamo = useTestDynamo();
  let demo: Awaited<ReturnType<typeof demoApp>>;

  beforeAll(async () => {
    demo = await demoApp(dynamo, 60);
  });

  const html = async (path: string) => (await demo.app.request(path)).text();

  it('links a favicon and serves it', async () => {
    expect(await html('/')).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg"/>');
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const res = await demo.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(await res.text()).toMatch(/^<svg /);
    }
  });

  it('sets Latin text in sans-serif faces before the Chinese ones, never a serif', async () => {
    const page = await html('/');
    // <style> is raw text: an escaped quote would void every quoted font name.
    expect(/<style>([^<]*)<\/style>/.exec(page)?.[1]).not.toMatch(/&quot;|&#/);
    const stack = /body\{[^}]*font-family:([^;}]+)/.exec(page)?.[1] ?? '';
    const faces = stack.split(',').map((f) => f.trim().replace(/"/g, ''));
    expect(faces.indexOf('Arial')).toBeGreaterThan(-1);
    expect(faces.indexOf('Arial')).toBeLessThan(faces.indexOf('PingFang SC'));
    expect(faces.at(-1)).toBe('sans-serif');
    expect(faces).not.toContain('serif');
    expect(faces).not.toContain('system-ui');
  });

  it('explains an invalid uscc in Chinese first', async () => {
    const res = await demo.app.request('/i/91330106MA2CFXKQ1P');
    expect(res.status).toBe(400);
    const page = await res.text();
    const paragraphs = [...page.matchAll(/<p[^>]*>([^<]+)<\/p>/g)].map((m) => m[1] ?? '');
    expect(paragraphs[0]).toMatch(/^第18位校验码为P，按前17位计算应为U/);
    expect(paragraphs[1]).toMatch(/^check character at position 18 is P, expected U/);
  });

  it('gives the objection URL absolute in the API, and its path as the action of the page form', async () => {
    const publicity = (await (await demo.app.request('/v1/publicity')).json()) as {
      items: Array<{ uscc: string; objection: { url: string; instructions: string } }>;
    };
    const item = publicity.items[0];
    expect(item).toBeDefined();
    expect(item?.objection.url).toMatch(
      /^https:\/\/credit\.example\.test\/v1\/publicity\/[^/]+\/objections$/,
    );
    expect(item?.objection.instructions).toContain(item?.objection.url);
    const detail = (await (await demo.app.request(`/v1/institutions/${item?.uscc}`)).json()) as {
      publicity: { objectionUrl: string };
    };
    expect(detail.publicity.objectionUrl).toBe(item?.objection.url);
    // The form posts to whichever host served the page, at the same objection path.
    expect(await html(`/i/${item?.uscc}`)).toContain(
      `action="${new URL(item?.objection.url ?? '').pathname}"`,
    );
  });

  it('scales the /stats chart to its data: the largest district fills the bar width', async () => {
    const page = await html('/stats');
    const rows = [...page.matchAll(/<g><text x="48"[^>]*>([^<]+)<\/text>(.*?)<\/g><text/g)];
    expect(rows.length).toBeGreaterThan(0);
    const widths = rows.map(([, , segs]) =>
      [...(segs ?? '').matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      ),
    );
    expect(Math.max(...widths)).toBeCloseTo(264, 6);
  });

  it('describes every operation in Chinese on /docs', async () => {
    const page = await html('/docs');
    expect(page).toContain('查询与浏览机构');
    expect(page).toContain('对公示中的结果提出异议');
    expect(page).toContain('统一社会信用代码：18 位');
  });

  it('shows times in +08:00 in /health, /v1/stats, the /stats page and the examples of /docs', async () => {
    const health = (await (await demo.app.request('/health')).json()) as { time: string };
    expect(health.time).toMatch(PLUS_EIGHT);
    const stats = (await (await demo.app.request('/v1/stats')).json()) as { asOf: string };
    expect(stats.asOf).toMatch(PLUS_EIGHT);
    expect(await html('/stats')).toContain(
      `统计时间：${stats.asOf.slice(0, 16).replace('T', ' ')}（北京时间）`,
    );
    const doc = await (await demo.app.request('/openapi.json')).text();
    const instants = doc.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?[^"\\]*/g) ?? [];
    expect(instants.length).toBeGreaterThan(0);
    for (const t of instants) expect(t).toMatch(/\+08:00/);
    expect(await html('/docs')).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z\b/);
    expect(CJK.test(await html('/docs'))).toBe(true);
  });
});
