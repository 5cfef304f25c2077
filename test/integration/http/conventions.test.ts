import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '#shared/http/app.ts';
import { adminHarness, publishedClinic } from '../../support/admin.ts';
import { demoApp } from '../../support/demo-app.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('HTTP conventions', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let uscc: string;

  let deps: Awaited<ReturnType<typeof demoApp>>['deps'];

  beforeAll(async () => {
    const demo = await demoApp(dynamo, 5);
    deps = demo.deps;
    uscc = demo.data.profiles[0]?.uscc as string;
  });
  // The app is built in each test, so that what it sets up when built counts as reached by that test.
  beforeEach(() => {
    app = createApp(deps);
  });

  describe('a wrong method on a known path', () => {
    it('answers 405 with Allow and a problem body', async () => {
      const res = await app.request('/health', { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { status: number; detail: string };
      expect(body.status).toBe(405);
      expect(body.detail).toContain('DELETE');
    });

    it('lists every method of a parameterised path', async () => {
      const res = await app.request(`/v1/institutions/${uscc}/qr.svg`, { method: 'PUT' });
      expect(res.status).toBe(405);
      const allow = res.headers.get('allow')?.split(', ') ?? [];
      expect(allow).toContain('GET');
      expect(allow).not.toContain('PUT');
    });

    it('keeps 404 for an unknown path', async () => {
      const res = await app.request('/no/such/thing', { method: 'DELETE' });
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
    });
  });
});

describe('CORS', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let uscc: string;

  let deps: Awaited<ReturnType<typeof demoApp>>['deps'];

  beforeAll(async () => {
    const demo = await demoApp(dynamo, 5);
    deps = demo.deps;
    uscc = demo.data.profiles[0]?.uscc as string;
  });
  // The app is built in each test, so that what it sets up when built counts as reached by that test.
  beforeEach(() => {
    app = createApp(deps);
  });

  it('lets any origin read the public API', async () => {
    const res = await app.request(`/v1/institutions/${uscc}`, {
      headers: { Origin: 'https://assoc.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers the preflight of a public read with 204', async () => {
    const res = await app.request('/v1/institutions', {
      method: 'OPTIONS',
      headers: { Origin: 'https://assoc.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it('grants no wildcard to writes or the admin surface', async () => {
    const write = await app.request(`/v1/institutions/${uscc}/contacts`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(write.status).toBe(204);
    expect(write.headers.get('access-control-allow-origin')).toBeNull();
    const admin = await app.request('/v1/admin/institutions', {
      headers: { Origin: 'https://evil.example' },
    });
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.request('/v1/admin/institutions', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  const dynamo = useTestDynamo();
  let demo: Awaited<ReturnType<typeof demoApp>>;

  beforeAll(async () => {
    demo = await demoApp(dynamo, 5);
  });
  // The app is built in each test, so that what it sets up when built counts as reached by that test.
  beforeEach(() => {
    demo = { ...demo, app: createApp(demo.deps) };
  });

  it('sends nosniff, a referrer policy and HSTS (https base) on every answer', async () => {
    for (const path of ['/health', '/v1/institutions', '/no/such/thing', '/v1/admin/institutions']) {
      const res = await demo.app.request(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('strict-transport-security'), path).toContain('max-age=');
    }
  });

  it('sends no HSTS when served over plain http (local)', async () => {
    const local = createApp({ ...demo.deps, publicBaseUrl: 'http://localhost:3000' });
    const res = await local.request('/health');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('puts a CSP on pages that allows no inline or foreign script', async () => {
    const uscc = demo.data.profiles[0]?.uscc as string;
    for (const path of ['/', `/i/${uscc}`, '/stats', '/docs']) {
      const res = await demo.app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).not.toContain('unsafe-eval');
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-inline/);
      const html = await res.text();
      // Only the service's own scripts (objection form, near me, sharing), by URL: never an inline one.
      for (const tag of html.match(/<script[^>]*>/gi) ?? []) {
        expect(tag, path).toMatch(/^<script src="\/assets\/(objection-form|near-me|share)\.js"/);
      }
    }
    const json = await demo.app.request('/v1/institutions');
    expect(json.headers.get('content-security-policy')).toBeNull();
  });

  it('marks admin answers no-store', async () => {
    const h = await adminHarness(dynamo);
    const { uscc } = await publishedClinic(h, 90);
    const res = await h.call('GET', `/v1/admin/institutions/${uscc}`, await h.token('city'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the served OpenAPI document', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;

  let deps: Awaited<ReturnType<typeof demoApp>>['deps'];

  beforeAll(async () => {
    deps = (await demoApp(dynamo, 1)).deps;
  });
  beforeEach(() => {
    app = createApp(deps);
  });

  it('names every operation with a unique operationId', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
        ids.push(op.operationId as string);
      }
    }
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/v1/institutions/{uscc}']?.get?.operationId).toBe('getV1InstitutionsByUscc');
  });
});
