import { mockClient } from 'aws-sdk-client-mock';
import { afterAll } from 'vitest';

/**
 * `mockClient` for the calling test file: the stub is taken off when the file ends, since the files of
 * a worker share one module graph (vitest.config.ts) and a client class left mocked would answer the
 * next file's calls.
 */
export const mockClientForFile: typeof mockClient = (client, options) => {
  const stub = mockClient(client, options);
  afterAll(() => {
    stub.restore();
  });
  return stub;
};
