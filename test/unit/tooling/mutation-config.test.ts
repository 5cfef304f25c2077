import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { strykerCoreSchema } from '@stryker-mutator/api/core';
import { strykerValidationSchema } from '@stryker-mutator/vitest-runner';
import { describe, expect, it } from 'vitest';
import { floorOf, PASSES, REPORT_FILE } from '../../../scripts/mutation.ts';
import mutationVitest, {
  DIRECT_TEST_FILES,
  HTTP_CORE_TEST_FILES,
  MUTATION_EXCLUDED_FILES,
  MUTATION_TEST_FILES,
} from '../../../vitest.mutation.config.ts';
import { FastestFirstSequencer } from '../../support/mutation-sequencer.ts';

/** `npm run mutation` is too slow for every change; this proves its configuration loads and aims right. */
const config = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as Record<string, unknown> & {
  mutate: string[];
  reporters: string[];
  thresholds: { high: number; low: number; break: number | null };
  vitest: { configFile: string };
  htmlReporter: { fileName: string };
  jsonReporter: { fileName: string };
};
/** Left out of the HTTP layer's mutants: they serve no request of their own. */
const SERVES_NO_REQUEST = [
  'shared/http/permissions-doc.ts',
  'shared/http/public/objection-form-script.ts',
  'shared/http/public/share-script.ts',
];

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

const coreProperties = (strykerCoreSchema as { properties: Record<string, { items?: { anyOf?: unknown } }> })
  .properties;
const runnerProperties = (strykerValidationSchema as { properties: Record<string, unknown> }).properties;

describe('mutation testing configuration', () => {
  it('is run by npm run mutation and never by npm test', () => {
    expect(pkg.scripts.mutation).toBe('tsx scripts/mutation.ts');
    expect(pkg.scripts.test).not.toMatch(/stryker|mutation/);
  });

  it('names only options Stryker and its vitest runner know', () => {
    const unknown = Object.keys(config).filter(
      (k) => k !== '$schema' && !(k in coreProperties) && !(k in runnerProperties),
    );
    expect(unknown).toEqual([]);
    expect(config.testRunner).toBe('vitest');
  });

  it('mutates the domain, the rulebook, the services and the HTTP layer, each folder with a floor', () => {
    const folders = ['shared/domain', 'shared/rulebook', 'shared/services', 'shared/http'];
    expect(config.mutate.filter((g) => !g.startsWith('!'))).toEqual(folders.map((f) => `${f}/**/*.ts`));
    for (const folder of folders) {
      expect(
        readdirSync(folder).some((f) => f.endsWith('.ts')),
        folder,
      ).toBe(true);
      expect(floorOf(`${folder}/any.ts`)?.floor, folder).toBeGreaterThanOrEqual(80);
    }
    expect(floorOf('shared/domain/x.ts')?.floor).toBe(94);
    expect(floorOf('shared/rulebook/x.ts')?.floor).toBe(94);
    expect(floorOf('shared/services/x.ts')?.floor).toBe(85);
    expect(floorOf('shared/http/admin/x.ts')?.floor).toBe(80);
  });

  it('runs the unit and integration tests', () => {
    expect(existsSync(config.vitest.configFile)).toBe(true);
    expect(config.vitest.configFile).toBe('vitest.mutation.config.ts');
    // The config is read under the pass that runs this very test too: a direct pass runs the direct files.
    const direct = process.env.MUTATION_TESTS === 'direct';
    expect(mutationVitest.test?.include).toEqual(direct ? DIRECT_TEST_FILES : MUTATION_TEST_FILES);
    expect(MUTATION_TEST_FILES).toEqual(['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts']);
  });

  it('runs the domain, the rulebook and the services against the tests that call them directly, never the app', () => {
    expect(PASSES.map((p) => [p.name, p.tests])).toEqual([
      ['domain', 'direct'],
      ['services', 'direct'],
      ['http-core', 'core'],
      ['http-routes', 'all'],
    ]);
    expect(HTTP_CORE_TEST_FILES).toEqual([
      'test/unit/**/*.test.ts',
      'test/integration/http/**/*.test.ts',
      'test/integration/admin/client-address.test.ts',
    ]);
    for (const file of HTTP_CORE_TEST_FILES.filter((f) => !f.includes('*')))
      expect(existsSync(file), file).toBe(true);
    expect(DIRECT_TEST_FILES).toEqual(['test/unit/**/*.test.ts', 'test/integration/services/**/*.test.ts']);
    const serviceTests = readdirSync('test/integration/services').filter((f) => f.endsWith('.test.ts'));
    expect(serviceTests.length).toBeGreaterThan(0);
    for (const file of serviceTests) {
      expect(readFileSync(`test/integration/services/${file}`, 'utf8'), file).not.toMatch(/#shared\/http\//);
    }
  });

  it('leaves out a source only when the tests that cover it are left out too', () => {
    expect(mutationVitest.test?.exclude).toEqual(MUTATION_EXCLUDED_FILES);
    const leftOut = config.mutate.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
    expect(leftOut).toEqual(['shared/domain/search-index.ts', 'shared/http/**/*.d.ts', ...SERVES_NO_REQUEST]);
    expect(existsSync('shared/domain/search-index.ts')).toBe(true);
    expect(MUTATION_EXCLUDED_FILES).toContain('test/unit/domain/search-index.test.ts');
    // The others run the code in child processes, where no mutant is active.
    expect(MUTATION_EXCLUDED_FILES).toEqual(
      expect.arrayContaining(['test/integration/cli.test.ts', 'test/integration/local-server.test.ts']),
    );
    for (const test of MUTATION_EXCLUDED_FILES) expect(existsSync(test), test).toBe(true);
  });

  it('leaves out of the HTTP layer only code that serves no request: a doc generator, browser scripts', () => {
    const importers = (file: string) =>
      readdirSync('shared', { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.tsx?$/.test(f))
        .filter((f) => readFileSync(`shared/${f}`, 'utf8').includes(`/${file.split('/').at(-1)}'`));
    for (const file of SERVES_NO_REQUEST) expect(existsSync(file), file).toBe(true);
    // The permission table's page is written by a script and checked by a test; no module imports it.
    expect(importers('shared/http/permissions-doc.ts')).toEqual([]);
    // Each browser script is one string constant, served as it is by the challenge routes.
    for (const script of SERVES_NO_REQUEST.filter((f) => f.endsWith('-script.ts'))) {
      expect(readFileSync(script, 'utf8')).toMatch(/^export const [A-Z_]+ = `/m);
      expect(importers(script)).toEqual(['http/public/challenge.ts']);
    }
  });

  it('reuses the results of unchanged code between runs, kept out of git', () => {
    expect(config.incremental).toBe(true);
    expect(config.incrementalFile).toMatch(/^reports\//);
    expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('reports/');
  });

  it('writes the HTML report and the JSON report the folder floors are judged from', () => {
    expect(config.reporters).toEqual(expect.arrayContaining(['html', 'json']));
    expect(config.htmlReporter.fileName).toMatch(/^reports\/mutation\/.+\.html$/);
    expect(config.jsonReporter.fileName).toBe(REPORT_FILE);
    // The floors are per folder (scripts/mutation.ts): Stryker's single one would judge the mix.
    const { high, low, break: breakAt } = config.thresholds;
    expect(breakAt).toBeNull();
    expect(low).toBeLessThanOrEqual(high);
  });

  it('runs the test files of a mutant fastest first: unit, service, then app tests, each by last duration', async () => {
    expect(mutationVitest.test?.sequence?.sequencer).toBe(FastestFirstSequencer);
    expect(mutationVitest.test?.isolate).toBe(false);
    const durations: Record<string, number> = {
      'integration:test/integration/admin/slow.test.ts': 9000,
      'integration:test/integration/admin/quick.test.ts': 300,
      'integration:test/integration/services/upgrades.test.ts': 2000,
      'unit:test/unit/domain/grading.test.ts': 40,
    };
    const ctx = {
      config: { root: '/repo' },
      cache: {
        getFileTestResults: (key: string) => (key in durations ? { duration: durations[key] } : undefined),
      },
    };
    const spec = (project: string, file: string) => ({
      project: { name: project },
      moduleId: `/repo/${file}`,
    });
    const files = [
      spec('integration', 'test/integration/admin/slow.test.ts'),
      spec('integration', 'test/integration/admin/never-run.test.ts'),
      spec('integration', 'test/integration/services/upgrades.test.ts'),
      spec('integration', 'test/integration/admin/quick.test.ts'),
      spec('unit', 'test/unit/http/problem.test.ts'),
      spec('unit', 'test/unit/domain/grading.test.ts'),
    ];
    const sorted = await new FastestFirstSequencer(ctx as never).sort(files as never);
    expect(sorted.map((s) => s.moduleId.replace('/repo/', ''))).toEqual([
      'test/unit/domain/grading.test.ts',
      'test/unit/http/problem.test.ts',
      'test/integration/services/upgrades.test.ts',
      'test/integration/admin/quick.test.ts',
      'test/integration/admin/slow.test.ts',
      'test/integration/admin/never-run.test.ts',
    ]);
  });
});
