import { vi } from 'vitest';
import { mintLocalToken } from '#shared/auth/mint.ts';
import { loadConfig } from '#shared/config.ts';
import type { Role } from '#shared/domain/types.ts';
import type { TestDynamo } from './local-table.ts';

export const TEST_JWT_SECRET = 'test-only-secret-for-signing-local-tokens-000';

/** The settings every test configuration shares. */
const TEST_SETTINGS = {
  AWS_REGION: 'cn-north-1',
  PUBLIC_BASE_URL: 'https://credit.example.test',
  CURSOR_SECRET: 'test-cursor-secret-0123456789',
  JWT_ISSUER: 'https://issuer.test',
  JWT_AUDIENCE: 'yimei-credit-test',
  STAGE: 'test',
} as const;

/** A complete test configuration; `overrides` replace single variables. */
export function testConfig(overrides: Record<string, string | undefined> = {}) {
  return loadConfig({
    TABLE_NAME: 'unused',
    ...TEST_SETTINGS,
    JWT_SECRET: TEST_JWT_SECRET,
    // Cheap to solve in tests; the check is the same at any difficulty.
    OBJECTION_POW_MAX_NUMBER: '200',
    NOW: '2026-11-23T10:00:00+08:00',
    ...overrides,
  });
}

/**
 * The environment a Lambda handler reads at its cold start: the shared test settings over `table` of
 * the in-process DynamoDB, then `extra` (a handler's own variables, or settings it overrides).
 */
export function setHandlerEnv(dynamo: TestDynamo, table: string, extra: Record<string, string> = {}): void {
  const env = { TABLE_NAME: table, DYNAMODB_ENDPOINT: dynamo.server.endpoint, ...TEST_SETTINGS, ...extra };
  // Stubbed, so the file's end puts the environment back (test/support/integration-setup.ts).
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  // A handler reads its environment once, when its module loads: the next import loads it anew.
  vi.resetModules();
}

/** What a regulators' handler (admin, imports) reads besides the shared settings: it verifies local tokens and publishes notices. */
export const REGULATOR_HANDLER_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  JWT_SECRET: TEST_JWT_SECRET,
  NOTICES_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:123456789012:yimei-credit-notices',
} as const;

/** A local token for `role`, signed for the issuer and audience of the test settings. */
export function testToken(role: Role): Promise<string> {
  return mintLocalToken({
    secret: TEST_JWT_SECRET,
    issuer: TEST_SETTINGS.JWT_ISSUER,
    audience: TEST_SETTINGS.JWT_AUDIENCE,
    role,
  });
}
