import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { mintLocalToken } from '#shared/auth/mint.ts';
import type { District, Role } from '#shared/domain/types.ts';
import { adminHarness, clinicIn, expectStatus, hospitalIn, newUscc } from '../../support/admin.ts';
import { TEST_JWT_SECRET, testConfig } from '../../support/config.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

type Caller = { role: Role; district?: District; uscc?: string };

const CALLERS: Record<string, Caller> = {
  city: { role: 'city' },
  xihuDistrict: { role: 'district', district: '西湖区' },
  binjiangDistrict: { role: 'district', district: '滨江区' },
  xihuAdmin: { role: 'district_admin', district: '西湖区' },
  binjiangAdmin: { role: 'district_admin', district: '滨江区' },
  guidance: { role: 'guidance' },
};

describe('authorisation of the admin API', () => {
  const dynamo = useTestDynamo();

  it('answers 401 to no token, an expired, a badly signed and a role-less token', async () => {
    const h = await adminHarness(dynamo);
    const config = testConfig();
    const base = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
    const expired = await mintLocalToken({
      ...base,
      secret: TEST_JWT_SECRET,
      role: 'city',
      ttlSeconds: 60,
      now: new Date(Date.now() - 3600_000),
    });
    const badlySigned = await mintLocalToken({
      ...base,
      secret: 'another-secret-of-at-least-32-characters!',
      role: 'city',
    });
    const roleless = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('nobody')
      .setIssuer(base.issuer)
      .setAudience(base.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const districtWithout = await new SignJWT({ role: 'district' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('d')
      .setIssuer(base.issuer)
      .setAudience(base.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    for (const token of [null, expired, badlySigned, roleless, districtWithout, 'not-a-jwt']) {
      const res = await h.call('GET', '/v1/admin/coverage', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const noAuthWrite = await h.call('POST', `/v1/institutions/${newUscc()}/upgrade-applications`, null, {
      selfScore: 90,
      report: 'x',
    });
    expect(noAuthWrite.status).toBe(401);
  });

  it('lets only the right role act on the right object at every step (matrix)', async () => {
    const h = await adminHarness(dynamo);
    const tokens: Record<string, string> = {};
    for (const [name, c] of Object.entries(CALLERS)) tokens[name] = await h.token(c.role, c);
    const xihuClinic = clinicIn('西湖区');
    const hospital = hospitalIn('西湖区');

    // register: city any kind; a district officer only clinics of its own district
    const registerCases: [string, object, number][] = [
      ['binjiangDistrict', xihuClinic, 403],
      ['xihuAdmin', xihuClinic, 403],
      ['guidance', xihuClinic, 403],
      ['xihuDistrict', hospital, 403],
      ['xihuDistrict', xihuClinic, 201],
      ['city', hospital, 201],
    ];
    for (const [who, reg, status] of registerCases) {
      const res = await h.call('POST', '/v1/admin/institutions', tokens[who]!, reg);
      expect({ who, status: res.status }).toEqual({ who, status });
    }

    // score: city for hospitals, a district officer for the clinics of its district
    const scoring = (uscc: string) => ({ uscc, score: 88, assessedOn: '2026-11-23', reason: 'initial' });
    const scoreCases: [string, string, number][] = [
      ['binjiangDistrict', xihuClinic.uscc, 403],
      ['city', xihuClinic.uscc, 403],
      ['xihuAdmin', xihuClinic.uscc, 403],
      ['guidance', xihuClinic.uscc, 403],
      ['xihuDistrict', hospital.uscc, 403],
      ['guidance', hospital.uscc, 403],
    ];
    for (const [who, uscc, status] of scoreCases) {
      const res = await h.call('POST', '/v1/admin/assessments', tokens[who]!, scoring(uscc));
      expect({ who, uscc, status: res.status }).toEqual({ who, uscc, status });
    }
    const clinicResult = await body(
      await expectStatus(
        h.call('POST', '/v1/admin/assessments', tokens.xihuDistrict!, scoring(xihuClinic.uscc)),
        201,
      ),
    );
    const hospitalResult = await body(
      await expectStatus(h.call('POST', '/v1/admin/assessments', tokens.city!, scoring(hospital.uscc)), 201),
    );

    // every lifecycle step: only its role, and district_admin only in its own district
    const step = (id: string, action: string, who: string) =>
      h.call('POST', `/v1/admin/assessments/${id}/${action}`, tokens[who]!);
    for (const who of ['binjiangAdmin', 'xihuDistrict', 'city', 'guidance']) {
      expect({ who, status: (await step(clinicResult.id, 'approve', who)).status }).toEqual({
        who,
        status: 403,
      });
    }
    await expectStatus(step(clinicResult.id, 'approve', 'xihuAdmin'), 200);
    for (const who of ['xihuAdmin', 'xihuDistrict', 'guidance']) {
      expect((await step(clinicResult.id, 'recheck', who)).status).toBe(403);
    }
    await expectStatus(step(clinicResult.id, 'recheck', 'city'), 200);
    for (const who of ['xihuAdmin', 'xihuDistrict', 'guidance']) {
      expect((await step(clinicResult.id, 'publicity', who)).status).toBe(403);
      expect((await step(hospitalResult.id, 'publicity', who)).status).toBe(403);
    }
    expect((await step(hospitalResult.id, 'approve', 'xihuAdmin')).status).toBe(403);
    await expectStatus(step(hospitalResult.id, 'publicity', 'city'), 200);
    h.clock.set('2026-11-28T09:00:00+08:00');
    for (const who of ['city', 'xihuAdmin', 'xihuDistrict']) {
      expect((await step(hospitalResult.id, 'publish', who)).status).toBe(403);
    }
    await expectStatus(step(hospitalResult.id, 'publish', 'guidance'), 200);

    // reading: a district sees only its own clinics; violations follow the register rule
    expect(
      (await h.call('GET', `/v1/admin/institutions/${hospital.uscc}`, tokens.xihuDistrict!)).status,
    ).toBe(403);
    expect(
      (await h.call('GET', `/v1/admin/institutions/${xihuClinic.uscc}`, tokens.binjiangAdmin!)).status,
    ).toBe(403);
    await expectStatus(h.call('GET', `/v1/admin/institutions/${xihuClinic.uscc}`, tokens.xihuAdmin!), 200);
    const violation = {
      occurredOn: '2026-11-20',
      type: 'violation',
      severity: 'minor',
      description: '病历书写不规范',
    };
    expect(
      (
        await h.call(
          'POST',
          `/v1/admin/institutions/${hospital.uscc}/violations`,
          tokens.xihuDistrict!,
          violation,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await h.call(
          'POST',
          `/v1/admin/institutions/${xihuClinic.uscc}/violations`,
          tokens.guidance!,
          violation,
        )
      ).status,
    ).toBe(403);
  });

  it('lets an institution act only on itself and never on the admin API', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const mine = hospitalIn('滨江区');
    const other = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, mine), 201);
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, other), 201);
    const me = await h.token('institution', { uscc: mine.uscc });
    const res = await h.call('POST', `/v1/institutions/${other.uscc}/upgrade-applications`, me, {
      selfScore: 96,
      report: '自评报告',
    });
    expect(res.status).toBe(403);
    for (const [method, path] of [
      ['GET', `/v1/admin/institutions/${mine.uscc}`],
      ['GET', '/v1/admin/watch-list'],
      ['GET', '/v1/admin/coverage'],
      ['GET', `/v1/admin/audit?uscc=${mine.uscc}`],
      ['GET', '/v1/admin/inspection-plans/2026'],
    ] as const) {
      expect({ path, status: (await h.call(method, path, me)).status }).toEqual({ path, status: 403 });
    }
    expect((await h.call('POST', '/v1/admin/institutions', me, hospitalIn('滨江区'))).status).toBe(403);
    expect((await h.call('POST', `/v1/admin/institutions/${mine.uscc}/close`, me)).status).toBe(403);
  });

  it('keeps the watch list and the inspection plan away from everyone but regulators', async () => {
    const h = await adminHarness(dynamo);
    const text = await (await h.app.request('/openapi.json')).text();
    const doc = JSON.parse(text);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/admin/watch-list'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/admin/assessments/{id}/publish']).toBeDefined();
    expect(doc.paths['/v1/publicity/{resultId}/objections'].post.security).toEqual([]);
    expect((await h.call('GET', '/v1/admin/watch-list', null)).status).toBe(401);
  });
});
