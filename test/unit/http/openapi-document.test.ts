import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, serviceOpenApiDocument } from '../../../scripts/openapi-document.ts';

/**
 * The OpenAPI document is the contract clients are generated from and `/docs` shows: every operation,
 * parameter, body, answer and the words describing them. The committed copy is what reviewers read;
 * the served one must not drift from it unnoticed.
 */
describe('the OpenAPI document', () => {
  it('is the one committed in docs/openapi.json (`npx tsx scripts/openapi-doc.ts` rewrites it)', async () => {
    const served = await serviceOpenApiDocument();
    const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    expect(served, 'run `npx tsx scripts/openapi-doc.ts` and review the change').toEqual(committed);
  });
});
