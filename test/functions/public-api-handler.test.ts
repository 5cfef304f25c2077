import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setHandlerEnv } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

type PublicEvent = Parameters<typeof import('#functions/public-api/handler.ts')['handler']>[0];

/** A REST API (v1) proxy event, as the China profile's regional API sends it. */
function restEvent(path: string): PublicEvent {
  return {
    resource: '/v1/export/{proxy+}',
    path,
    httpMethod: 'GET',
    headers: { Host: 'credit.example.cn' },
    multiValueHeaders: { Host: ['credit.example.cn'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.replace('/v1/export/', '') },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      httpMethod: 'GET',
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'r1',
      requestTimeEpoch: 0,
      resourceId: 'res',
      resourcePath: '/v1/export/{proxy+}',
      stage: 'prod',
      identity: { sourceIp: '127.0.0.1', userAgent: 'test' },
    },
    body: null,
    isBase64Encoded: false,
  } as unknown as PublicEvent;
}

describe('public API Lambda handler with an export bucket (the China profile)', () => {
  const dynamo = useTestDynamo();
  const heads: string[] = [];
  let generated = false;

  beforeAll(async () => {
    setHandlerEnv(dynamo, await dynamo.freshTable(), {
      // The local endpoint's client signs with its own stand-in keys (shared/store/dynamo.ts).
      PUBLIC_BASE_URL: 'https://credit.example.cn',
      JWT_JWKS_URL: 'https://issuer.test/.well-known/jwks.json',
      EXPORT_BUCKET: 'yimei-exports',
    });
    // S3's answer to the HEAD that asks whether the job has written the file yet.
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      if (!url.includes('.s3.')) return realFetch(input, init);
      heads.push(`${init?.method} ${url}`);
      return new Response(null, { status: generated ? 200 : 403 });
    });
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
  });

  it('streams the CSV itself only until the job has written it, then answers 302 to a presigned S3 link with no body', async () => {
    const { handler } = await import('#functions/public-api/handler.ts');
    const before = await handler(restEvent('/v1/export/grades.csv'), {} as Context);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('uscc,name,kind');

    generated = true;
    const res = await handler(restEvent('/v1/export/grades.csv'), {} as Context);
    expect(res.statusCode).toBe(302);
    expect(res.body ?? '').toBe('');
    // A REST API (v1) event gets its answer's headers as lists.
    const headers = (res as { multiValueHeaders?: Record<string, string[]> }).multiValueHeaders ?? {};
    expect(headers['cache-control']).toEqual(['private, max-age=60']);
    const location = new URL(String(headers.location?.[0]));
    expect(location.origin).toBe('https://yimei-exports.s3.cn-north-1.amazonaws.com.cn');
    expect(location.pathname).toBe('/v1/export/grades.csv');
    const q = location.searchParams;
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toMatch(/^local\/\d{8}\/cn-north-1\/s3\/aws4_request$/);
    expect(q.get('X-Amz-Expires')).toBe('300');
    expect(q.get('X-Amz-SignedHeaders')).toBe('host');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(q.get('response-content-disposition')).toMatch(
      /^attachment; filename="grades-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(
      heads.every((h) => h.startsWith('HEAD https://yimei-exports.s3.cn-north-1.amazonaws.com.cn/')),
    ).toBe(true);

    // Once found, the file is not asked about again: a redirect costs no S3 request.
    const calls = heads.length;
    expect((await handler(restEvent('/v1/export/grades.csv'), {} as Context)).statusCode).toBe(302);
    expect(heads).toHaveLength(calls);
  });
});
