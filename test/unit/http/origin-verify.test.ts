import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { baseApp, consoleLogger } from '#shared/http/base-app.ts';
import { ORIGIN_VERIFY_HEADER } from '#shared/http/origin-verify.ts';

const SECRET = 'origin-verify-secret-0123456789abcdef';
const app = (originVerifySecret?: string) =>
  baseApp(
    {
      clock: fixedClock('2026-12-01T10:00:00+08:00'),
      publicBaseUrl: 'https://credit.example.com',
      ...(originVerifySecret ? { originVerifySecret } : {}),
    },
    consoleLogger,
  );

describe('requests that did not come through CloudFront', () => {
  it('are refused with 403 problem+json when the secret header is missing or wrong', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { [ORIGIN_VERIFY_HEADER]: 'guess' },
      { [ORIGIN_VERIFY_HEADER]: `${SECRET}x` },
    ];
    for (const headers of attempts) {
      const res = await app(SECRET).request('/health', { headers });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(JSON.stringify(await res.json())).not.toContain(SECRET);
    }
  });

  it('are answered when they carry the header CloudFront adds', async () => {
    const res = await app(SECRET).request('/health', { headers: { [ORIGIN_VERIFY_HEADER]: SECRET } });
    expect(res.status).toBe(200);
  });

  it('are all answered where no secret is configured (locally, the China profile)', async () => {
    expect((await app().request('/health')).status).toBe(200);
  });
});
