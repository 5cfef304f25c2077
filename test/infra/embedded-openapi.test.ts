import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';
import { bundleFunction } from '../../scripts/bundle.ts';
import { type OpenApiDocument, serviceOpenApiDocument } from '../../scripts/openapi-document.ts';

/**
 * The public function as deployed serves the whole service's OpenAPI document, embedded at bundle time
 * (infra/bundling.ts), not one generated from the few routes it mounts.
 */
mkdirSync(join(PROJECT_ROOT, 'dist'), { recursive: true });
// Inside the project, so the bundle's `@aws-sdk/*` imports resolve from node_modules as in the runtime.
const outdir = mkdtempSync(join(PROJECT_ROOT, 'dist', 'test-openapi-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const get = (path: string, headers: Record<string, string> = {}) =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'credit.example.org', ...headers },
    requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9' } },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const operationIds = (doc: OpenApiDocument) =>
  Object.values(doc.paths)
    .flatMap((methods) => Object.values(methods).map((op) => op.operationId))
    .sort();

describe('the bundled public function’s OpenAPI document', () => {
  let handler: Handler;
  let code: string;
  // The infra files share one process (vitest.config.ts): the handler's environment goes when they do.
  const envBefore = { ...process.env };
  afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
    Object.assign(process.env, envBefore);
  });

  beforeAll(async () => {
    const figure = await bundleFunction('public-api', outdir);
    code = readFileSync(figure.file, 'utf8');
    Object.assign(process.env, {
      TABLE_NAME: 'unused',
      // Never called: the document needs no table.
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      AWS_REGION: 'cn-north-1',
      PUBLIC_BASE_URL: 'https://credit.example.org',
      CURSOR_SECRET: 'test-cursor-secret-0123456789',
      JWT_ISSUER: 'https://issuer.test',
      JWT_AUDIENCE: 'yimei-credit-test',
      JWT_JWKS_URL: 'https://issuer.test/.well-known/jwks.json',
      STAGE: 'test',
    });
    ({ handler } = (await import(pathToFileURL(figure.file).href)) as { handler: Handler });
  }, 180_000);

  it('lists every operation of the service, as the local server does, at the deployment’s address', async () => {
    const res = await handler(get('/openapi.json'), {} as Context);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag ?? res.headers?.ETag).toMatch(/^(W\/)?"/);
    const doc = JSON.parse(res.body ?? '') as OpenApiDocument & { servers: { url: string }[] };
    const ids = operationIds(doc);
    expect(ids).toEqual(operationIds(await serviceOpenApiDocument()));
    // The objection write and bearer operations live in other functions.
    expect(ids).toContain('postV1PublicityByResultIdObjections');
    expect(ids).toContain('postV1AdminInstitutions');
    expect(Object.values(doc.paths).some((m) => Object.values(m).some((op) => op.security?.length))).toBe(
      true,
    );
    expect(doc.servers).toEqual([{ url: 'https://credit.example.org' }]);
  }, 60_000);

  it('renders the same document at /docs and answers 304 to a matching If-None-Match', async () => {
    const docs = await handler(get('/docs'), {} as Context);
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('/v1/admin/institutions');
    const first = await handler(get('/openapi.json'), {} as Context);
    const etag = String(first.headers?.etag ?? first.headers?.ETag);
    const again = await handler(get('/openapi.json', { 'if-none-match': etag }), {} as Context);
    expect(again.statusCode).toBe(304);
  });

  it('carries no document generator: neither zod-to-openapi’s nor the service’s conventions', () => {
    expect(code).not.toContain('webhookRefs');
    // A Chinese summary only the conventions add (shared/http/openapi-conventions.ts).
    expect(code).not.toContain('机构公开页面的二维码（门牌用）');
  });
});
