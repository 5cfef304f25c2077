import { defineConfig } from 'vitest/config';
import { FastestFirstSequencer } from './test/support/mutation-sequencer.ts';

/**
 * The tests a mutation run (`npm run mutation`, stryker.config.json) executes against each mutant: the
 * unit and integration tests, which pin the domain, the rulebook, the services and the HTTP layer.
 * Hardening, browser and infrastructure suites are too slow to run hundreds of times; `test/functions`
 * imports the Lambda handlers, whose module-level app defeats Stryker's skipping of static mutants and
 * shows false survivors.
 */
export const MUTATION_TEST_FILES = ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'];

/**
 * With `MUTATION_TESTS=direct` (the passes of `scripts/mutation.ts` over the domain, the rulebook and the
 * services) only the tests that call the code directly run: the unit tests, and the service tests that
 * call the services over in-memory stores or the in-process table (`test/integration/services/`). They
 * take milliseconds a mutant, where an integration test through the app would rebuild an app and a table
 * for every mutant it reaches.
 */
export const DIRECT_TEST_FILES = ['test/unit/**/*.test.ts', 'test/integration/services/**/*.test.ts'];

/**
 * With `MUTATION_TESTS=core` (the pass over the HTTP layer's own modules, `shared/http/*.ts`) the unit
 * tests and the conventions suite of `test/integration/http/` run: every request passes through those
 * modules, so with the whole integration suite each surviving mutant there would re-run all of it.
 */
export const HTTP_CORE_TEST_FILES = [
  'test/unit/**/*.test.ts',
  'test/integration/http/**/*.test.ts',
  // The client's address (a rate-limit key) as each platform gives it: forwarded, API Gateway, CloudFront.
  'test/integration/admin/client-address.test.ts',
];

const TESTS_OF_PASS: Record<string, string[]> = {
  direct: DIRECT_TEST_FILES,
  core: HTTP_CORE_TEST_FILES,
};
const include = TESTS_OF_PASS[process.env.MUTATION_TESTS ?? ''] ?? MUTATION_TEST_FILES;

/**
 * Left out: the search over a city-size register (1 200 rows, hundreds of property runs), which takes
 * minutes per run once instrumented (so `shared/domain/search-index.ts`, which only it covers, is left
 * out of `mutate` too), and the tests that run the code in child processes, where no mutant is active
 * (the CLI, the local server, and the OpenAPI linter, which reads a document the test writes).
 */
export const MUTATION_EXCLUDED_FILES = [
  'test/unit/domain/search-index.test.ts',
  'test/integration/cli.test.ts',
  'test/integration/local-server.test.ts',
  'test/integration/http/openapi-lint.test.ts',
];

export default defineConfig({
  test: {
    include,
    exclude: MUTATION_EXCLUDED_FILES,
    // The files a mutant reaches run in one worker that loads the app once per mutant, not once per file
    // (each file leaves the process as it found it, as in `npm test`: test/support/integration-setup.ts).
    isolate: false,
    setupFiles: ['test/support/mutation-setup.ts', 'test/support/integration-setup.ts'],
    sequence: { sequencer: FastestFirstSequencer },
    // Instrumented code on a loaded machine: the 30 s of `npm test` is too short for the busiest tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
