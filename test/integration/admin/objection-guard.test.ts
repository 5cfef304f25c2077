import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { clientKey } from '#shared/purpose-keys.ts';
import {
  type AdminHarness,
  adminHarness,
  expectStatus,
  hospitalIn,
  hospitalInPublicity,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { fromSocket, solvedProof } from '../../support/proof.ts';

const inPublicity = async (h: AdminHarness) => (await hospitalInPublicity(h)).id;

function post(
  h: AdminHarness,
  id: string,
  payload: unknown,
  headers: Record<string, string> = {},
  address = '203.0.113.50',
) {
  return h.app.request(
    `/v1/publicity/${id}/objections`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(payload),
    },
    fromSocket(address),
  );
}

const stored = async (h: AdminHarness, id: string) => (await h.deps.workflow.listObjections(id)).length;

describe('objection guard', () => {
  const dynamo = useTestDynamo();

  it('serves a self-hosted challenge, never cached', async () => {
    const h = await adminHarness(dynamo);
    const res = await expectStatus(h.app.request('/v1/publicity/challenge'), 200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const c = await body(res);
    expect(c).toMatchObject({ algorithm: 'SHA-256', maxnumber: 200 });
    expect(c.salt).toMatch(/expires=\d+/);
    const script = await expectStatus(h.app.request('/assets/objection-form.js'), 200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('crypto.subtle.digest');
  });

  it('refuses an objection without, with a forged, an expired or a reused proof of work, storing nothing', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    const missing = await post(h, id, { text: '无证明' });
    expect(missing.status).toBe(400);
    expect((await body(missing)).errors).toEqual([expect.objectContaining({ path: 'altcha' })]);

    const proof = await solvedProof(h.app);
    const decoded = JSON.parse(Buffer.from(proof, 'base64').toString());
    const forged = Buffer.from(JSON.stringify({ ...decoded, number: decoded.number + 1 })).toString('base64');
    const bad = await post(h, id, { text: '伪造', altcha: forged });
    expect(bad.status).toBe(400);
    expect((await body(bad)).errors[0].path).toBe('altcha');
    const garbage = await post(h, id, { text: '乱码', altcha: 'not base64 json' });
    expect(garbage.status).toBe(400);

    await expectStatus(post(h, id, { text: '第一次', altcha: proof }), 201);
    const reused = await post(h, id, { text: '第二次', altcha: proof }, {}, '198.51.100.1');
    expect(reused.status).toBe(400);
    const spent = await body(reused);
    expect(spent.detail).toBe('altcha: this challenge was already used; fetch a new one');
    expect(spent.errors).toEqual([
      { path: 'altcha', message: 'this challenge was already used; fetch a new one' },
    ]);

    const old = await solvedProof(h.app);
    h.clock.set('2026-11-23T10:11:00+08:00');
    const expired = await post(h, id, { text: '过期', altcha: old });
    expect(expired.status).toBe(400);
    expect((await body(expired)).detail).toContain('expired');
    expect(await stored(h, id)).toBe(1);
  });

  it('keeps client addresses in the quota counters only as a keyed hash', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    await expectStatus(post(h, id, { text: '异议', altcha: await solvedProof(h.app) }), 201);
    const items = (await dynamo.db.send(new ScanCommand({ TableName: h.table }))).Items ?? [];
    const counters = items.filter((i) => String(i.pk).startsWith('OBJLIMIT#') && String(i.pk).includes(id));
    expect(counters).toHaveLength(1);
    const key = clientKey(h.deps.cursorSecret, '203.0.113.50');
    expect(counters[0]?.pk).toContain(key);
    // Another secret gives another key: without the secret the counter cannot be matched to an address.
    expect(clientKey('another-secret-0123456789', '203.0.113.50')).not.toBe(key);
    expect(JSON.stringify(items)).not.toContain('203.0.113.50');
  });

  it('refuses writes from another origin (CSRF) and keeps CORS to public reads', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    const payload = { text: '跨站', altcha: await solvedProof(h.app) };
    const crossSite = await post(h, id, payload, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect((await body(crossSite)).errors[0].path).toBe('header.sec-fetch-site');
    const form = await h.app.request(`/v1/publicity/${id}/objections`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: new URLSearchParams(payload).toString(),
    });
    expect(form.status).toBe(403);
    const admin = await h.app.request('/v1/admin/institutions', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await h.token('city')}`,
        'Content-Type': 'application/json',
        Origin: 'https://evil.example',
      },
      body: JSON.stringify(hospitalIn('上城区')),
    });
    expect(admin.status).toBe(403);
    expect(await stored(h, id)).toBe(0);
    // The site's own page is let through.
    await expectStatus(
      post(h, id, payload, { Origin: 'https://credit.example.test', 'Sec-Fetch-Site': 'same-origin' }),
      201,
    );
    // CORS: granted to public reads, never to writes.
    const read = await h.app.request('/v1/publicity', { headers: { Origin: 'https://other.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await h.app.request(`/v1/publicity/${id}/objections`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://other.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a body over the documented 8 KiB with 413 problem+json and stores nothing', async () => {
    const h = await adminHarness(dynamo);
    const id = await inPublicity(h);
    const res = await post(h, id, { text: 'x'.repeat(9 * 1024), altcha: await solvedProof(h.app) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const doc = await body(await h.app.request('/openapi.json'));
    const op = doc.paths['/v1/publicity/{resultId}/objections'].post;
    expect(op.description).toContain('8 KiB');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['403', '413', '429']));
    expect(await stored(h, id)).toBe(0);
  });
});
