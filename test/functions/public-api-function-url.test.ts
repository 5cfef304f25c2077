import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { ORIGIN_VERIFY_HEADER } from '#shared/http/origin-verify.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { setHandlerEnv } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

type PublicEvent = Parameters<typeof import('#functions/public-api/handler.ts')['handler']>[0];

const ORIGIN_SECRET = 'origin-secret-0123456789abcdef';
const URL_HOST = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.ap-northeast-1.on.aws';

/**
 * A Lambda function URL event (payload 2.0) as CloudFront forwards a viewer's GET through origin
 * access control: Host is the URL's own, the request is signed, the origin header added.
 */
function functionUrlEvent(
  path: string,
  query: string,
  headers: Record<string, string>,
  method = 'GET',
): PublicEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: {
      host: URL_HOST,
      'x-amz-date': '20261202T080000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=…/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=…',
      via: '2.0 0123456789abcdef.cloudfront.net (CloudFront)',
      'x-amz-cf-id': 'cf-request-id',
      ...headers,
    },
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
      domainName: URL_HOST,
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '130.176.0.1',
        userAgent: 'Amazon CloudFront',
      },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '02/Dec/2026:08:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  } as unknown as PublicEvent;
}

describe('public API Lambda handler behind its function URL (the global profile with a domain)', () => {
  const dynamo = useTestDynamo();
  const data = buildDemoData({ count: 5, today: '2026-12-02', calendar: new WorkingDayCalendar() });
  const [first] = data.profiles;
  const uscc = first?.uscc ?? '';

  beforeAll(async () => {
    const table = await dynamo.freshTable();
    setHandlerEnv(dynamo, table, {
      AWS_REGION: 'ap-northeast-1',
      PUBLIC_BASE_URL: 'https://credit.example.com',
      ORIGIN_VERIFY_SECRET: ORIGIN_SECRET,
      JWT_JWKS_URL: 'https://issuer.test/.well-known/jwks.json',
    });
    await loadDemoData(dynamo.db, table, data);
  });

  it('answers a detail and a search with links on the public domain, never the URL’s own host', async () => {
    const { handler } = await import('#functions/public-api/handler.ts');
    const headers = { [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET, accept: 'application/json' };
    const detail = await handler(functionUrlEvent(`/v1/institutions/${uscc}`, '', headers), {} as Context);
    expect(detail.statusCode).toBe(200);
    expect(JSON.parse(String(detail.body)).uscc).toBe(uscc);
    expect(detail.headers?.etag).toMatch(/^(W\/)?"/);
    expect(String(detail.headers?.['cache-control'])).toContain('s-maxage=');
    expect(String(detail.body)).not.toContain(URL_HOST);

    const byName = new URLSearchParams({ q: first?.name ?? '' }).toString();
    const search = await handler(functionUrlEvent('/v1/institutions', byName, headers), {} as Context);
    expect(search.statusCode).toBe(200);
    expect(String(search.body)).toContain(uscc);
    expect(String(search.body)).not.toContain(URL_HOST);
  });

  it('answers HEAD and the CORS preflight itself: the URL has no CORS settings of its own', async () => {
    const { handler } = await import('#functions/public-api/handler.ts');
    const verified = { [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET };
    const head = await handler(
      functionUrlEvent(`/v1/institutions/${uscc}`, '', verified, 'HEAD'),
      {} as Context,
    );
    expect(head.statusCode).toBe(200);
    expect(head.body ?? '').toBe('');
    expect(head.headers?.etag).toMatch(/^(W\/)?"/);

    const preflight = await handler(
      functionUrlEvent(
        '/v1/institutions',
        '',
        { ...verified, origin: 'https://association.example.org', 'access-control-request-method': 'GET' },
        'OPTIONS',
      ),
      {} as Context,
    );
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers?.['access-control-allow-origin']).toBe('*');
    expect(preflight.headers?.['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses a request without CloudFront’s origin header before any route runs', async () => {
    const { handler } = await import('#functions/public-api/handler.ts');
    const res = await handler(functionUrlEvent(`/v1/institutions/${uscc}`, '', {}), {} as Context);
    expect(res.statusCode).toBe(403);
    const wrong = { [ORIGIN_VERIFY_HEADER]: 'not-the-secret-0123456789abcdef' };
    expect(
      (await handler(functionUrlEvent(`/v1/institutions/${uscc}`, '', wrong), {} as Context)).statusCode,
    ).toBe(403);
  });
});
