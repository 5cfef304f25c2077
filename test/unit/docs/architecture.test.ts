import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The rows of docs/architecture.md's "Where each kind of thing lives" table. */
function whereThingsLive(): string[] {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const section = doc.split('## Where each kind of thing lives')[1]?.split('\n## ')[0] ?? '';
  return section.split('\n').filter((line) => line.startsWith('| ') && !/^\| (thing|---) /.test(line));
}

/** The repository paths a row names in code spans (`shared/…`, `test/…/`), wildcards left out. */
function pathsIn(row: string): string[] {
  return [...row.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1] as string)
    .filter((p) => /^(shared|test|infra|scripts|functions|rulebooks)\//.test(p) || p === 'vitest.config.ts')
    .filter((p) => !p.includes('*'));
}

describe('docs/architecture.md, where each kind of thing lives', () => {
  it('names only files and folders that exist', () => {
    const rows = whereThingsLive();
    expect(rows.length).toBeGreaterThanOrEqual(9);
    const named = rows.flatMap(pathsIn);
    expect(named.length).toBeGreaterThan(rows.length);
    expect(named.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('points permissions to the permission table and its middleware, configuration to the one parser', () => {
    const row = (thing: string) => whereThingsLive().find((r) => r.startsWith(`| ${thing} |`)) ?? '';
    expect(pathsIn(row('who may do what'))).toEqual(
      expect.arrayContaining(['shared/domain/permissions.ts', 'shared/http/permissions.ts']),
    );
    expect(pathsIn(row('preconditions of lifecycle steps'))).toContain('shared/domain/preconditions.ts');
    expect(pathsIn(row('configuration'))[0]).toBe('shared/env.ts');
  });
});
