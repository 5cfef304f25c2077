import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { strykerCoreSchema } from '@stryker-mutator/api/core';
import { strykerValidationSchema } from '@stryker-mutator/vitest-runner';
import { describe, expect, it } from 'vitest';
import mutationVitest, {
  MUTATION_EXCLUDED_FILES,
  MUTATION_TEST_FILES,
} from '../../../vitest.mutation.config.ts';

/** `npm run mutation` is too slow for every change; this proves its configuration loads and aims right. */
const config = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as Record<string, unknown> & {
  mutate: string[];
  reporters: string[];
  thresholds: { high: number; low: number; break: number };
  vitest: { configFile: string };
  htmlReporter: { fileName: string };
  jsonReporter: { fileName: string };
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

const coreProperties = (strykerCoreSchema as { properties: Record<string, { items?: { anyOf?: unknown } }> })
  .properties;
const runnerProperties = (strykerValidationSchema as { properties: Record<string, unknown> }).properties;

describe('mutation testing configuration', () => {
  it('is run by npm run mutation and never by npm test', () => {
    expect(pkg.scripts.mutation).toBe('stryker run');
    expect(pkg.scripts.test).not.toMatch(/stryker|mutation/);
  });

  it('names only options Stryker and its vitest runner know', () => {
    const unknown = Object.keys(config).filter(
      (k) => k !== '$schema' && !(k in coreProperties) && !(k in runnerProperties),
    );
    expect(unknown).toEqual([]);
    expect(config.testRunner).toBe('vitest');
  });

  it('mutates the domain rules, which exist', () => {
    expect(config.mutate).toContain('shared/domain/**/*.ts');
    expect(readdirSync('shared/domain').filter((f) => f.endsWith('.ts')).length).toBeGreaterThan(10);
  });

  it('runs the unit tests of the domain only', () => {
    expect(existsSync(config.vitest.configFile)).toBe(true);
    expect(config.vitest.configFile).toBe('vitest.mutation.config.ts');
    expect(mutationVitest.test?.include).toEqual(MUTATION_TEST_FILES);
    expect(MUTATION_TEST_FILES.every((g) => g.startsWith('test/unit/'))).toBe(true);
    expect(MUTATION_TEST_FILES).toContain('test/unit/domain/**/*.test.ts');
    expect(MUTATION_TEST_FILES).toContain('test/unit/rulebook/**/*.test.ts');
  });

  it('leaves out a source only when the tests that cover it are left out too', () => {
    expect(config.mutate).toContain('shared/rulebook/**/*.ts');
    expect(mutationVitest.test?.exclude).toEqual(MUTATION_EXCLUDED_FILES);
    const leftOut = config.mutate.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
    expect(leftOut).toEqual(['shared/domain/search-index.ts']);
    for (const source of leftOut) expect(existsSync(source)).toBe(true);
    expect(MUTATION_EXCLUDED_FILES).toEqual(['test/unit/domain/search-index.test.ts']);
  });

  it('reuses the results of unchanged code between runs, kept out of git', () => {
    expect(config.incremental).toBe(true);
    expect(config.incrementalFile).toMatch(/^reports\//);
    expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('reports/');
  });

  it('writes an HTML and a JSON report and breaks below its threshold', () => {
    expect(config.reporters).toEqual(expect.arrayContaining(['html', 'json']));
    expect(config.htmlReporter.fileName).toMatch(/^reports\/mutation\/.+\.html$/);
    expect(config.jsonReporter.fileName).toMatch(/^reports\/mutation\/.+\.json$/);
    const { high, low, break: breakAt } = config.thresholds;
    expect(breakAt).toBeGreaterThan(0);
    expect(breakAt).toBeLessThanOrEqual(low);
    expect(low).toBeLessThanOrEqual(high);
  });
});
