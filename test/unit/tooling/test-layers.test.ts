import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_LAYERS } from '../../../vitest.config.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const testFiles = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f.split('\\').join('/')}`);

/** Every layer's globs are whole folders (`<folder>/**\/*.test.ts`): the folders they name. */
const foldersOf = (globs: readonly string[]) =>
  globs.map((g) => {
    expect(g).toMatch(/^test\/[a-z-]+\/\*\*\/\*\.test\.ts$/);
    return g.replace('/**/*.test.ts', '/');
  });

describe('the suite in layers', () => {
  it('puts every test file in exactly one layer', () => {
    const folders = Object.entries(TEST_LAYERS).flatMap(([layer, globs]) =>
      foldersOf(globs).map((folder) => ({ layer, folder })),
    );
    expect(testFiles.length).toBeGreaterThan(100);
    for (const file of testFiles) {
      expect(
        folders.filter((l) => file.startsWith(l.folder)).map((l) => l.layer),
        file,
      ).toHaveLength(1);
    }
  });

  it('runs each layer by npm run test:<layer>, and every layer by npm test', () => {
    for (const layer of Object.keys(TEST_LAYERS)) {
      expect(pkg.scripts[`test:${layer}`]).toBe(`vitest run --project ${layer}`);
    }
    expect(pkg.scripts.test).toBe('npm run typecheck && npm run lint && vitest run');
  });
});
