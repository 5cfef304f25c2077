import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { batchGetAll } from '#shared/store/batch-get.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

const ddb = mockClient(DynamoDBDocumentClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => ddb.restore());
const db = createDocumentClient({ region: 'cn-north-1' });
const TABLE = 'credit';
const keyOf = (i: number) => ({ pk: `K#${i}`, sk: 'A' });

describe('batchGetAll', () => {
  beforeEach(() => ddb.reset());

  it('asks for at most 100 keys a call and retries the keys a call leaves unprocessed', async () => {
    const wanted = Array.from({ length: 150 }, (_, i) => keyOf(i));
    let calls = 0;
    ddb.on(BatchGetCommand).callsFake((input) => {
      calls++;
      const asked = input.RequestItems[TABLE].Keys as { pk: string; sk: string }[];
      // The first call answers half and leaves the rest unprocessed, as a throttled table does.
      const answered = calls === 1 ? asked.slice(0, 50) : asked;
      const left = calls === 1 ? asked.slice(50) : [];
      return {
        Responses: { [TABLE]: answered.map((k) => ({ ...k, seen: true })) },
        UnprocessedKeys: left.length ? { [TABLE]: { Keys: left } } : {},
      };
    });
    const items = await batchGetAll(db, TABLE, wanted, { consistent: true, projection: 'pk, sk' });
    expect(items.map((i) => i.pk).sort()).toEqual(wanted.map((k) => k.pk).sort());
    const sizes = ddb
      .commandCalls(BatchGetCommand)
      .map((c) => c.args[0].input.RequestItems?.[TABLE]?.Keys?.length);
    expect(sizes).toEqual([100, 50, 50]);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: expect.objectContaining({ ConsistentRead: true, ProjectionExpression: 'pk, sk' }),
      },
    });
  });

  it('gives up when the table keeps leaving keys unprocessed', async () => {
    ddb.on(BatchGetCommand).callsFake((input) => ({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: input.RequestItems[TABLE].Keys } },
    }));
    await expect(batchGetAll(db, TABLE, [keyOf(1)])).rejects.toThrow(/unprocessed/);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(8);
  });

  it('asks nothing for no keys', async () => {
    expect(await batchGetAll(db, TABLE, [])).toEqual([]);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});
