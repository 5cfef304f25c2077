import { loadConfig } from '#shared/config.ts';

export const TEST_JWT_SECRET = 'test-only-secret-for-signing-local-tokens-000';

/** A complete test configuration; `overrides` replace single variables. */
export function testConfig(overrides: Record<string, string | undefined> = {}) {
  return loadConfig({
    TABLE_NAME: 'unused',
    AWS_REGION: 'cn-north-1',
    PUBLIC_BASE_URL: 'https://credit.example.test',
    CURSOR_SECRET: 'test-cursor-secret-0123456789',
    JWT_ISSUER: 'https://issuer.test',
    JWT_AUDIENCE: 'yimei-credit-test',
    JWT_SECRET: TEST_JWT_SECRET,
    STAGE: 'test',
    // Cheap to solve in tests; the check is the same at any difficulty.
    OBJECTION_POW_MAX_NUMBER: '200',
    NOW: '2026-11-23T10:00:00+08:00',
    ...overrides,
  });
}
