import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

/** One in-memory dynalite per test file; each call to `freshTable` gives a new, empty table. */
export interface TestDynamo {
  server: LocalDynamo;
  db: DynamoDBDocumentClient;
  freshTable(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const server = await startLocalDynamo();
  const db = createDocumentClient({ region: 'cn-north-1', endpoint: server.endpoint });
  return {
    server,
    db,
    async freshTable() {
      const name = `t-${randomUUID().slice(0, 8)}`;
      await ensureTable(db as never, name);
      return name;
    },
    async close() {
      db.destroy();
      await server.close();
    },
  };
}

/**
 * One dynalite for the tests of the calling file or `describe` block: started in a `beforeAll` registered
 * here and closed in its `afterAll`, so hooks registered after this call may use it (before hooks run in
 * order, after hooks in reverse). The handle reaches the started instance, so read it in hooks and tests.
 */
export function useTestDynamo(): TestDynamo {
  let started: TestDynamo | undefined;
  const current = (): TestDynamo => {
    if (!started) throw new Error('the test dynalite starts in beforeAll: use it inside a hook or a test');
    return started;
  };
  beforeAll(async () => {
    started = await startTestDynamo();
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  return {
    get server() {
      return current().server;
    },
    get db() {
      return current().db;
    },
    freshTable: () => current().freshTable(),
    close: () => current().close(),
  };
}
