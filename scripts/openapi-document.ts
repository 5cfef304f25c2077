import { buildAdminDeps } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createApp } from '#shared/http/app.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
}

/**
 * The whole service's OpenAPI document, every function's operations in one, as the local server serves it
 * at `/openapi.json`. It needs no database: the client is never called.
 */
export async function serviceOpenApiDocument(): Promise<OpenApiDocument> {
  const config = loadConfig({
    TABLE_NAME: 'docs',
    AWS_REGION: 'cn-north-1',
    PUBLIC_BASE_URL: 'https://credit.example',
    CURSOR_SECRET: 'docs-only-cursor-secret-000000',
    JWT_ISSUER: 'https://issuer.example',
    JWT_AUDIENCE: 'docs',
    JWT_SECRET: 'docs-only-secret-of-at-least-32-characters',
    STAGE: 'local',
  });
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: 'http://127.0.0.1:9' });
  const app = createApp(buildAdminDeps(config, db, new RecordingNotifier()));
  const doc = (await (await app.request('/openapi.json')).json()) as OpenApiDocument;
  db.destroy();
  return doc;
}

/** The document as committed, for readers and for review: `npx tsx scripts/openapi-doc.ts` writes it. */
export const OPENAPI_FILE = 'docs/openapi.json';
