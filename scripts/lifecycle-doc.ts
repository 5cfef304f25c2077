import { readFileSync, writeFileSync } from 'node:fs';
import { renderLifecycleTable } from '../shared/domain/preconditions.ts';

/** Rewrites the generated table of docs/lifecycle.md from domain/preconditions.ts (`npm run docs:lifecycle`). */
export const LIFECYCLE_DOC = 'docs/lifecycle.md';
export const START = '<!-- generated: npm run docs:lifecycle -->';
export const END = '<!-- end of generated table -->';

export function withTable(doc: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${LIFECYCLE_DOC} has no generated-table markers`);
  return `${doc.slice(0, a + START.length)}\n${renderLifecycleTable()}${doc.slice(b)}`;
}

if (process.argv[1]?.endsWith('lifecycle-doc.ts')) {
  writeFileSync(LIFECYCLE_DOC, withTable(readFileSync(LIFECYCLE_DOC, 'utf8')));
}
