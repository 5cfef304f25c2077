import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '#shared/auth/mint.ts';
import { createApp } from '#shared/http/app.ts';
import { dataDirSecrets } from '#shared/local/data-secrets.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, parseLocalArgs } from '../../scripts/local-env.ts';
import { openLocalRuntime } from '../../scripts/local-runtime.ts';
import { hospitalIn } from '../support/admin.ts';

/**
 * The local server serves the file the grades-export job keeps in the data directory (the stand-in for
 * the CDN and the export bucket): after a rename its old ETag must not answer 304 either, and the file
 * it then sends must carry the new name.
 */
describe('the grades CSV of the local server', () => {
  let dir: string;
  let runtime: Awaited<ReturnType<typeof openLocalRuntime>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'export-local-'));
    runtime = await openLocalRuntime(parseLocalArgs(['--data', dir, '--no-demo']), 'test');
  });
  afterAll(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('regenerates the file and moves the ETag when an institution is renamed', async () => {
    const app = createApp(runtime.deps, { error: () => {} });
    const token = await mintLocalToken({
      secret: dataDirSecrets(dir).jwtSecret,
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      role: 'city',
    });
    const call = (method: string, path: string, payload: unknown) =>
      app.request(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(payload),
      });
    const reg = hospitalIn('西湖区');
    expect((await call('POST', '/v1/admin/institutions', reg)).status).toBe(201);

    const rowsOf = async (res: Response) =>
      parse(Buffer.from(await res.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
    const before = await app.request('/v1/export/grades.csv');
    const etag = before.headers.get('etag')!;
    expect((await rowsOf(before)).map((r) => r.name)).toEqual([reg.name]);
    expect((await app.request('/v1/export/grades.csv', { headers: { 'If-None-Match': etag } })).status).toBe(
      304,
    );

    expect(
      (await call('PATCH', `/v1/admin/institutions/${reg.uscc}`, { name: '西湖新名医疗美容医院' })).status,
    ).toBe(200);
    const after = await app.request('/v1/export/grades.csv', { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await rowsOf(after)).map((r) => r.name)).toEqual(['西湖新名医疗美容医院']);
  });
});
