import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGULATOR_HANDLER_ENV, setHandlerEnv, testToken } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

/** The event type the handler takes (a type-only reference: the module is imported in the test). */
type AdminEvent = Parameters<typeof import('#functions/admin-api/handler.ts')['handler']>[0];

function httpEvent(method: string, path: string, headers: Record<string, string>): AdminEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.test', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0800',
      timeEpoch: 0,
      authentication: null,
      authorizer: {},
    },
    body: null,
    isBase64Encoded: false,
  } as AdminEvent;
}

describe('admin API Lambda handler', () => {
  const dynamo = useTestDynamo();

  beforeAll(async () => {
    setHandlerEnv(dynamo, await dynamo.freshTable(), REGULATOR_HANDLER_ENV);
  });

  it('serves the regulators’ API: 401 without a token, the coverage report with one', async () => {
    const { handler } = await import('#functions/admin-api/handler.ts');
    const context = {} as Context;
    const anonymous = await handler(httpEvent('GET', '/v1/admin/coverage', {}), context);
    expect(anonymous.statusCode).toBe(401);
    const token = await testToken('city');
    const res = await handler(
      httpEvent('GET', '/v1/admin/coverage', { authorization: `Bearer ${token}` }),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '{}')).toMatchObject({ summary: { inScope: 0, published: 0 } });
  });
});
