import { afterAll, vi } from 'vitest';

/**
 * Run before each integration test file. The files of a worker share one module graph
 * (vitest.config.ts), so a file must leave the process as it found it: the environment a handler test
 * stubbed is put back when the file ends. Files that mock an AWS client restore it themselves.
 */
afterAll(() => {
  vi.unstubAllEnvs();
});
