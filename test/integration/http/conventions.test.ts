import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '#shared/http/app.ts';
import { demoApp } from '../../support/demo-app.ts';
import { startTestDynamo, type TestDynamo } from '../../support/local-table.ts';

describe('HTTP conventions', () => {
  let dynamo: TestDynamo;
  let app: ReturnType<typeof createApp>;
  let uscc: string;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    const demo = await demoApp(dynamo, 5);
    app = demo.app;
    uscc = demo.data.profiles[0]?.uscc as string;
  });
  afterAll(async () => dynamo.close());

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
