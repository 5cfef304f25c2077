import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '#shared/http/apps/admin.ts';
import { createImportsApp } from '#shared/http/apps/imports.ts';
import { createObjectionsApp } from '#shared/http/apps/objections.ts';
import { createPublicApp, createPublicAppWithDocument } from '#shared/http/apps/public.ts';
import { type AdminHarness, adminHarness, hospitalIn, hospitalInPublicity } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { objectFrom } from '../../support/proof.ts';

const quiet = { error: () => {} };
type App = { request(path: string, init?: RequestInit, env?: object): Response | Promise<Response> };

/** `method path` as `token` (JSON body when given) against one function's app: its status. */
async function statusOf(app: App, method: string, path: string, token?: string, payload?: unknown) {
  const res = await app.request(path, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
  });
  return res.status;
}

/**
 * Each Lambda builds only its own part of the service (so a flood of objections or a hostile
 * spreadsheet takes no other route with it): every function's app serves its routes and answers 404
 * for the others'.
 */
describe("each function's app", () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  let city: string;
  beforeAll(async () => {
    h = await adminHarness(dynamo);
    city = await h.token('city');
  });

  it('admin: the regulators’ and institutions’ API, without imports, public reads or the document', async () => {
    const app = createAdminApp(h.deps, quiet);
    const reg = hospitalIn('上城区');
    expect(await statusOf(app, 'POST', '/v1/admin/institutions', city, reg)).toBe(201);
    expect(await statusOf(app, 'GET', `/v1/admin/institutions/${reg.uscc}`, city)).toBe(200);
    expect(await statusOf(app, 'GET', `/v1/admin/audit?uscc=${reg.uscc}`, city)).toBe(200);
    const institution = await h.token('institution', { uscc: reg.uscc });
    expect(
      await statusOf(app, 'PUT', `/v1/institutions/${reg.uscc}/contacts`, institution, {
        phones: ['13988880000'],
        wechatOpenIds: [],
      }),
    ).toBe(200);
    expect(await statusOf(app, 'POST', '/v1/admin/imports', city)).toBe(404);
    expect(await statusOf(app, 'GET', `/v1/institutions/${reg.uscc}`)).toBe(404);
    expect(await statusOf(app, 'GET', '/v1/institutions')).toBe(404);
    expect(await statusOf(app, 'GET', '/openapi.json')).toBe(404);
    expect(await statusOf(app, 'GET', '/health')).toBe(200);
  });

  it('imports: the spreadsheet import alone, behind a token', async () => {
    const app = createImportsApp(h.deps, quiet);
    const csv = readFileSync(new URL('../../fixtures/register-good.csv', import.meta.url));
    const res = await app.request('/v1/admin/imports', {
      method: 'POST',
      headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'text/csv' },
      body: new Uint8Array(csv),
    });
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({ ok: true, rows: 5 });
    expect(await statusOf(app, 'POST', '/v1/admin/imports')).toBe(401);
    expect(await statusOf(app, 'GET', '/v1/admin/audit', city)).toBe(404);
    expect(await statusOf(app, 'POST', '/v1/admin/institutions', city, hospitalIn('上城区'))).toBe(404);
  });

  it('objections: the objection alone', async () => {
    const { id, uscc } = await hospitalInPublicity(h);
    const app = createObjectionsApp(h.deps, quiet);
    // The challenge comes from the public function; the objections function checks its signature.
    const challengeFrom = {
      request: (path: string, init?: RequestInit, env?: object) =>
        (path.endsWith('/challenge') ? h.app : app).request(path, init, env),
    };
    expect((await objectFrom(challengeFrom, id, '203.0.113.9', '公示分数有误')).status).toBe(201);
    expect(await h.deps.workflow.listObjections(id)).toHaveLength(1);
    expect(await statusOf(app, 'GET', `/v1/institutions/${uscc}`)).toBe(404);
    expect(await statusOf(app, 'GET', '/v1/publicity/challenge')).toBe(404);
    expect(await statusOf(app, 'POST', '/v1/admin/institutions', city, hospitalIn('上城区'))).toBe(404);
  });

  it('public: the reads, pages and the document, nothing that writes', async () => {
    const reg = hospitalIn('西湖区');
    expect(await statusOf(h.app, 'POST', '/v1/admin/institutions', city, reg)).toBe(201);
    const app = createPublicApp(h.deps, quiet);
    expect(await statusOf(app, 'GET', `/v1/institutions/${reg.uscc}`)).toBe(200);
    expect(await statusOf(app, 'GET', `/i/${reg.uscc}`)).toBe(200);
    expect(await statusOf(app, 'GET', '/v1/publicity/challenge')).toBe(200);
    const doc = await body(await app.request('/openapi.json'));
    const paths = Object.keys(doc.paths);
    expect(paths).toContain('/v1/institutions/{uscc}');
    expect(paths.filter((p) => p.startsWith('/v1/admin'))).toEqual([]);
    expect(await statusOf(app, 'POST', '/v1/admin/institutions', city, hospitalIn('西湖区'))).toBe(404);
    expect(await statusOf(app, 'POST', '/v1/publicity/r-1/objections', undefined, { text: 'x' })).toBe(404);
  });

  it('public with a document built elsewhere: serves that document, and the same reads', async () => {
    const document = { openapi: '3.1.0', info: { title: 'embedded', version: '1' }, paths: {} };
    const app = createPublicAppWithDocument(h.deps, () => document, quiet);
    expect(await body(await app.request('/openapi.json'))).toEqual(document);
    expect(await statusOf(app, 'GET', '/v1/institutions')).toBe(200);
    expect(await statusOf(app, 'GET', '/docs')).toBe(200);
  });
});
