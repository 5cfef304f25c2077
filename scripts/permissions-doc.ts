/**
 * Rewrites the role section of docs/security.md from the permission table and the operations the app
 * serves: `npx tsx scripts/permissions-doc.ts`. A test fails while the page and the table disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  operationsOf,
  permissionsSection,
  SECTION_END,
  SECTION_START,
} from '#shared/http/permissions-doc.ts';
import { serviceOpenApiDocument } from './openapi-document.ts';

const doc = await serviceOpenApiDocument();
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
