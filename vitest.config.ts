import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The suite in layers, each a vitest project run by `npm run test:<name>` (`npm test` runs them all):
 * unit tests need nothing but Node; integration tests run the app against the in-process dynalite
 * (with the function handlers and the hardening suites); browser tests drive Chromium through the
 * pages; infra tests synthesise the stacks.
 */
export const TEST_LAYERS = {
  unit: ['test/unit/**/*.test.ts'],
  integration: [
    'test/integration/**/*.test.ts',
    'test/functions/**/*.test.ts',
    'test/hardening/**/*.test.ts',
  ],
  browser: ['test/browser/**/*.test.ts'],
  infra: ['test/infra/**/*.test.ts'],
} as const;

/**
 * What a layer changes of the defaults. Each test file runs in a fresh module graph unless its layer
 * says `isolate: false`: then the files of a worker share one, and the modules every file imports are
 * loaded once per worker instead of once per file (most of a unit test file's time). Only layers whose
 * files leave no state behind in a shared module (no environment, no global, no spy left changed) share.
 */
const LAYER_OPTIONS: Partial<Record<keyof typeof TEST_LAYERS, { isolate?: boolean; setupFiles?: string[] }>> =
  {
    unit: { isolate: false },
    // Also shares the synthesised deployments (test/support/infra.ts) and aws-cdk-lib, loaded once.
    infra: { isolate: false },
    // Each file puts back the environment it stubbed and the AWS clients it mocked (test/support/aws-mock.ts).
    integration: { isolate: false, setupFiles: ['test/support/integration-setup.ts'] },
  };

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker per core: vitest's default keeps one core for its own process, which only collects
    // results, so on a 2-core machine the whole suite ran in a single worker.
    maxWorkers: availableParallelism(),
    reporters: ['default'],
    projects: Object.entries(TEST_LAYERS).map(([name, include]) => ({
      extends: true,
      test: { name, include: [...include], ...LAYER_OPTIONS[name as keyof typeof TEST_LAYERS] },
    })),
  },
});
