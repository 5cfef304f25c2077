/**
 * Rewrites the role section of docs/security.md from the permission table and the operations the app
 * serves: `npx tsx scripts/permissions-doc.ts`. A test fails while the page and the table disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createApp } from '#shared/http/app.ts';
import {
  operationsOf,
  permissionsSection,
  SECTION_END,
  SECTION_START,
} from '#shared/http/permissions-doc.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

// The document needs no database: the client is never called.
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
const doc = (await (await app.request('/openapi.json')).json()) as Parameters<typeof operationsOf>[0];
const file = 'docs/security.md';
const page = readFileSync(file, 'utf8');
const start = page.indexOf(SECTION_START);
const end = page.indexOf(SECTION_END);
if (start < 0 || end < 0) throw new Error(`${file} has no permissions section markers`);
writeFileSync(
  file,
  page.slice(0, start) + permissionsSection(operationsOf(doc)) + page.slice(end + SECTION_END.length),
);
console.log(`${file}: the permissions section is written`);
