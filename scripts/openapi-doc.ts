/**
 * Writes the service's OpenAPI document, as `/openapi.json` serves it, to docs/openapi.json (formatted
 * as the linter formats JSON): `npx tsx scripts/openapi-doc.ts`. A test fails while the file and the
 * served document differ, so every change to the contract (a route, a parameter, a summary, a
 * response) shows in review.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, serviceOpenApiDocument } from './openapi-document.ts';

writeFileSync(OPENAPI_FILE, JSON.stringify(await serviceOpenApiDocument()));
spawnSync('npx', ['biome', 'format', '--write', OPENAPI_FILE], { stdio: 'inherit' });
console.log(`${OPENAPI_FILE}: written`);
