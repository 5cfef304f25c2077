import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
