import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_LIMITS } from '#shared/import/limits.ts';
import { IMPORT_MEDIA_TYPES } from '#shared/import/media-types.ts';
import { REGULATOR_HANDLER_ENV, setHandlerEnv, testToken } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

type ImportsEvent = Parameters<typeof import('#functions/imports-api/handler.ts')['handler']>[0];

const PATH = '/v1/admin/imports';

/** The payload-2.0 event of the global HTTP API: a workbook arrives base64-encoded. */
function httpApiEvent(file: Buffer, type: string, token: string): ImportsEvent {
  return {
    version: '2.0',
    routeKey: `POST ${PATH}`,
    rawPath: PATH,
    rawQueryString: '',
    headers: { host: 'api.example.test', authorization: `Bearer ${token}`, 'content-type': type },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method: 'POST', path: PATH, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey: `POST ${PATH}`,
      stage: '$default',
      time: '02/Dec/2026:12:00:00 +0800',
      timeEpoch: 0,
      authentication: null,
      authorizer: {},
    },
    body: file.toString('base64'),
    isBase64Encoded: true,
  } as ImportsEvent;
}

/** The payload-1.0 event of the China REST API, whose binary media types are the import types. */
function restApiEvent(file: Buffer, type: string, token: string): ImportsEvent {
  return {
    resource: PATH,
    path: PATH,
    httpMethod: 'POST',
    headers: { Host: 'credit.example.cn', Authorization: `Bearer ${token}`, 'Content-Type': type },
    multiValueHeaders: {
      Host: ['credit.example.cn'],
      Authorization: [`Bearer ${token}`],
      'Content-Type': [type],
    },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      httpMethod: 'POST',
      path: `/prod${PATH}`,
      protocol: 'HTTP/1.1',
      requestId: 'r2',
      requestTimeEpoch: 0,
      resourceId: 'res',
      resourcePath: PATH,
      stage: 'prod',
      identity: { sourceIp: '127.0.0.1', userAgent: 'test' },
      authorizer: null,
    },
    body: file.toString('base64'),
    isBase64Encoded: true,
  } as unknown as ImportsEvent;
}

describe('imports Lambda handler', () => {
  const dynamo = useTestDynamo();
  beforeAll(async () => {
    setHandlerEnv(dynamo, await dynamo.freshTable(), REGULATOR_HANDLER_ENV);
  });

  it('reads a base64 workbook from the HTTP API and a base64 CSV from the REST API, the same register', async () => {
    const { handler } = await import('#functions/imports-api/handler.ts');
    const token = await testToken('city');
    const xlsx = readFileSync(new URL('../fixtures/register-good.xlsx', import.meta.url));
    const csv = readFileSync(new URL('../fixtures/register-good.csv', import.meta.url));
    const first = await handler(httpApiEvent(xlsx, IMPORT_MEDIA_TYPES.xlsx, token), {} as Context);
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body ?? '{}')).toMatchObject({ ok: true, rows: 5, created: 5 });
    const again = await handler(restApiEvent(csv, IMPORT_MEDIA_TYPES.csv, token), {} as Context);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body ?? '{}')).toMatchObject({ ok: true, rows: 5, created: 0, skipped: 5 });
  });

  it('answers a body one byte over the file limit with 413 naming fileBytes', async () => {
    const { handler } = await import('#functions/imports-api/handler.ts');
    const token = await testToken('city');
    const over = Buffer.alloc(IMPORT_LIMITS.fileBytes + 1, 0x61);
    const res = await handler(httpApiEvent(over, IMPORT_MEDIA_TYPES.xlsx, token), {} as Context);
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body ?? '{}')).toMatchObject({ limit: 'fileBytes', max: IMPORT_LIMITS.fileBytes });
  });
});
