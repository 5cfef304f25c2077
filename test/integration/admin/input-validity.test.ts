import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { adminHarness, expectStatus, hospitalIn } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('input validity through the admin API', () => {
  const dynamo = useTestDynamo();

  it.each(['2026-02-30', '2026-04-31', '2026-02-29'])(
    'refuses the impossible date %s naming the field',
    async (day) => {
      const h = await adminHarness(dynamo);
      const city = await h.token('city');
      const reg = hospitalIn('滨江区');
      await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
      const scored = await h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 90,
        assessedOn: day,
        reason: 'initial',
      });
      expect(scored.status).toBe(400);
      expect(scored.headers.get('content-type')).toContain('application/problem+json');
      const problem = await body(scored);
      expect(problem.errors.map((e: { path: string }) => e.path)).toContain('assessedOn');

      const violation = await h.call('POST', `/v1/admin/institutions/${reg.uscc}/violations`, city, {
        occurredOn: day,
        type: 'violation',
        severity: 'minor',
        description: '测试',
      });
      expect(violation.status).toBe(400);
      expect((await body(violation)).errors.map((e: { path: string }) => e.path)).toContain('occurredOn');
    },
  );

  it('refuses a JSON body over 64 KiB on a regulator’s route with 413, storing nothing', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('滨江区');
    const padded = { ...reg, address: `${reg.address}${'路'.repeat(22 * 1024)}` };
    const res = await h.call('POST', '/v1/admin/institutions', city, padded);
    expect(res.status).toBe(413);
    expect(await body(res)).toMatchObject({
      type: 'https://yimei-credit.hangzhou.example/problems/payload-too-large',
      status: 413,
      detail: 'the request body is too large',
    });
    expect((await h.call('GET', `/v1/admin/institutions/${reg.uscc}`, city)).status).toBe(404);
  });

  it('accepts 29 February in a leap year', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    await expectStatus(
      h.call('POST', '/v1/admin/assessments', city, {
        uscc: reg.uscc,
        score: 90,
        assessedOn: '2024-02-29',
        reason: 'initial',
      }),
      201,
    );
  });

  it('refuses an impossible --now instant', () => {
    expect(() => fixedClock('2026-02-30T10:00:00+08:00')).toThrow(RangeError);
    expect(fixedClock('2026-02-28T10:00:00+08:00').today()).toBe('2026-02-28');
  });

  it.each(['\u0000', '\u0007', '\n', '\u007F', '\u0085', '\u202E', '\u2066'])(
    'refuses stored text with %j naming the field',
    async (bad) => {
      const h = await adminHarness(dynamo);
      const city = await h.token('city');
      const fields = (res: Response) =>
        body(res).then((p) => p.errors.map((e: { path: string }) => e.path) as string[]);

      const named = await h.call('POST', '/v1/admin/institutions', city, {
        ...hospitalIn('滨江区'),
        name: `测试${bad}医疗美容医院`,
      });
      expect(named.status).toBe(400);
      expect(await fields(named)).toContain('name');

      const aliased = await h.call('POST', '/v1/admin/institutions', city, {
        ...hospitalIn('滨江区'),
        address: `杭州市${bad}滨江区1号`,
        aliases: [`别${bad}名`],
      });
      expect(aliased.status).toBe(400);
      expect(await fields(aliased)).toEqual(expect.arrayContaining(['address', 'aliases.0']));

      const reg = hospitalIn('滨江区');
      await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
      const renamed = await h.call('PATCH', `/v1/admin/institutions/${reg.uscc}`, city, {
        name: `改${bad}名`,
      });
      expect(renamed.status).toBe(400);
      expect(await fields(renamed)).toContain('name');

      const violation = await h.call('POST', `/v1/admin/institutions/${reg.uscc}/violations`, city, {
        occurredOn: '2026-11-20',
        type: 'violation',
        severity: 'minor',
        description: `描述${bad}内容`,
      });
      expect(violation.status).toBe(400);
      expect(await fields(violation)).toContain('description');

      const objection = await h.call('POST', '/v1/publicity/r-none/objections', null, {
        text: `异议${bad}内容`,
      });
      expect(objection.status).toBe(400);
      expect(await fields(objection)).toContain('text');
    },
  );

  it('keeps ordinary Chinese text, punctuation and trailing whitespace (trimmed)', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = { ...hospitalIn('滨江区'), name: '杭州（滨江）医疗美容医院·新院 ' };
    const created = await body(await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201));
    expect(JSON.stringify(created)).toContain('杭州（滨江）医疗美容医院·新院"');
  });
});
