import { beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '#shared/http/app.ts';
import type { DemoData } from '#shared/local/demo.ts';
import { demoApp } from '../support/demo-app.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

describe('GET /v1/institutions/{uscc} against dynalite', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let data: DemoData;

  beforeAll(async () => {
    ({ app, data } = await demoApp(dynamo, 40));
  });

  it('returns the detail of a graded institution with its label, history and measures', async () => {
    const graded = data.profiles.find((p) => p.grade !== null && p.history.length > 0)!;
    const res = await app.request(`/v1/institutions/${graded.uscc}`);
    expect(res.status).toBe(200);
    const json = await body(res);
    expect(json).toMatchObject({
      uscc: graded.uscc,
      name: graded.name,
      grade: graded.grade,
      score: graded.score,
      publishedOn: graded.publishedOn,
      nextReviewDue: graded.nextReviewDue,
    });
    expect(json.gradeLabel).toMatch(/^[ABCD]级/);
    expect(json.history).toHaveLength(graded.history.length);
    expect(json.history[0].publishedOn >= json.history.at(-1).publishedOn).toBe(true);
    expect(res.headers.get('cache-control')).toContain('max-age');
    expect(res.headers.get('etag')).toBeTruthy();
  });

  it('answers If-None-Match with 304', async () => {
    const uscc = data.profiles[0]!.uscc;
    const first = await app.request(`/v1/institutions/${uscc}`);
    const etag = first.headers.get('etag')!;
    const second = await app.request(`/v1/institutions/${uscc}`, { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(304);
  });

  it('accepts a lower-case uscc with spaces around it', async () => {
    const uscc = data.profiles[1]!.uscc;
    const res = await app.request(`/v1/institutions/${encodeURIComponent(` ${uscc.toLowerCase()} `)}`);
    expect(res.status).toBe(200);
  });

  it('never serialises contacts or high-risk service flags', async () => {
    for (const p of data.profiles.slice(0, 10)) {
      const text = await (await app.request(`/v1/institutions/${p.uscc}`)).text();
      const priv = data.privates.find((x) => x.uscc === p.uscc)!;
      for (const phone of priv.contacts.phones) expect(text).not.toContain(phone);
      for (const id of priv.contacts.wechatOpenIds) expect(text).not.toContain(id);
      expect(text).not.toMatch(/generalAnesthesia|liposuction|prepaid|watch|inspection/i);
    }
  });

  it('names the field when the uscc is malformed and says 404 for an unknown one', async () => {
    const bad = await app.request('/v1/institutions/91330106MA2CFXKQ1O');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = await body(bad);
    expect(problem.errors[0].path).toBe('uscc');
    const valid = data.profiles[0]!.uscc;
    const unknown = `${valid.slice(0, 10)}${valid.slice(10, 17) === '0000000' ? '1111111' : '0000000'}`;
    const { makeUscc } = await import('#shared/domain/uscc.ts');
    const res = await app.request(`/v1/institutions/${makeUscc(unknown)}`);
    expect(res.status).toBe(404);
  });
});
