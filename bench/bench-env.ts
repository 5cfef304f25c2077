/**
 * The environment a bench builds its configuration from: a table of its own, and the in-process
 * DynamoDB endpoint unless the bench reads from an in-memory table.
 */
export const benchEnv = (table: string, endpoint?: string) => ({
  TABLE_NAME: table,
  ...(endpoint ? { DYNAMODB_ENDPOINT: endpoint } : {}),
  AWS_REGION: 'cn-north-1',
  PUBLIC_BASE_URL: 'https://credit.example.test',
  CURSOR_SECRET: 'bench-cursor-secret-0123456789',
  JWT_ISSUER: 'https://issuer.test',
  JWT_AUDIENCE: 'bench',
  JWT_SECRET: 'bench-only-secret-for-signing-local-tokens-0',
  STAGE: 'test',
  NOW: '2026-11-23T10:00:00+08:00',
});
