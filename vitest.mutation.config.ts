import { defineConfig } from 'vitest/config';

/**
 * The tests a mutation run (`npm run mutation`, stryker.config.json) executes against each mutant: the
 * unit tests of the domain rules only. Integration, hardening and infrastructure suites are too slow to
 * run hundreds of times and do not pin the rules more precisely.
 */
export const MUTATION_TEST_FILES = ['test/unit/domain/**/*.test.ts', 'test/unit/rulebook/**/*.test.ts'];

/**
 * The search over a city-size register (1 200 rows, hundreds of property runs) takes minutes per run once
 * instrumented, so `shared/domain/search-index.ts`, which only it covers, is left out of `mutate` too.
 */
export const MUTATION_EXCLUDED_FILES = ['test/unit/domain/search-index.test.ts'];

export default defineConfig({
  test: {
    include: MUTATION_TEST_FILES,
    exclude: MUTATION_EXCLUDED_FILES,
    setupFiles: ['test/support/mutation-setup.ts'],
    testTimeout: 30_000,
    reporters: ['default'],
  },
});
