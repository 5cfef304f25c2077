import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { memoryTable } from '../../../bench/memory-table.ts';
import {
  batchGetUnits,
  getItemUnits,
  itemBytes,
  queryPageUnits,
  valueBytes,
} from '../../../bench/read-units.ts';

/** An item of exactly `bytes` by the sizing rules: keys, then a string padding the rest. */
const sized = (pk: string, sk: string, bytes: number) => ({ pk, sk, d: 'x'.repeat(bytes - 7) });

describe('item sizes, as the DynamoDB developer guide counts them', () => {
  it('counts names and strings in UTF-8 bytes', () => {
    expect(itemBytes({ pk: 'a' })).toBe(3);
    expect(valueBytes('杭州')).toBe(6);
    expect(itemBytes({ 名: '美' })).toBe(6);
  });

  it('counts numbers by significant digits, booleans and null as one byte', () => {
    expect(valueBytes(0)).toBe(1);
    expect(valueBytes(7)).toBe(2);
    expect(valueBytes(12345)).toBe(4);
    expect(valueBytes(100)).toBe(2);
    expect(valueBytes(2.25)).toBe(3);
    expect(valueBytes(true)).toBe(1);
    expect(valueBytes(null)).toBe(1);
  });

  it('adds 3 bytes per list or map and 1 per element', () => {
    expect(valueBytes([])).toBe(3);
    expect(valueBytes(['ab', 'c'])).toBe(3 + 3 + 2);
    expect(valueBytes({ a: 'b' })).toBe(3 + 1 + 2);
    expect(valueBytes({ a: 'b', gone: undefined })).toBe(6);
  });

  it('pads a test item to the size asked for', () => {
    expect(itemBytes(sized('p', 's', 4097))).toBe(4097);
  });
});

describe('read units', () => {
  it('rounds a GetItem up per 4 KB, halved when eventually consistent', () => {
    expect(getItemUnits(4096, false)).toBe(0.5);
    expect(getItemUnits(4097, false)).toBe(1);
    expect(getItemUnits(4097, true)).toBe(2);
    expect(getItemUnits(10, true)).toBe(1);
    expect(getItemUnits(null, false)).toBe(0.5);
  });

  it('charges each item of a BatchGet as its own GetItem', () => {
    expect(batchGetUnits([1536, 1536, 1536], false)).toBe(1.5);
    expect(batchGetUnits([1536, null], true)).toBe(2);
  });

  it('rounds a Query page once over the items’ total size', () => {
    expect(queryPageUnits([1536, 1536, 1536], false)).toBe(1);
    expect(queryPageUnits([1536, 1536, 1536], true)).toBe(2);
    expect(queryPageUnits([1365, 1365, 1366], false)).toBe(0.5);
    expect(queryPageUnits([], false)).toBe(0.5);
  });
});

describe('the in-memory table’s ledger', () => {
  it('records each read with its units, and returns them when asked', async () => {
    const table = memoryTable([
      sized('a', '1', 1536),
      sized('a', '2', 1536),
      sized('a', '3', 1536),
      sized('b', '1', 4097),
    ]);
    const get = await table.client.send(
      new GetCommand({ TableName: 't', Key: { pk: 'b', sk: '1' }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(get.ConsumedCapacity?.CapacityUnits).toBe(1);
    const query = await table.client.send(
      new QueryCommand({
        TableName: 't',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'a' },
        ConsistentRead: true,
      }),
    );
    expect(query.Items?.map((i) => i.sk)).toEqual(['1', '2', '3']);
    expect(query.ConsumedCapacity).toBeUndefined();
    await table.client.send(
      new BatchGetCommand({
        RequestItems: {
          t: {
            Keys: [
              { pk: 'a', sk: '1' },
              { pk: 'a', sk: '9' },
            ],
          },
        },
      }),
    );
    expect(table.reads).toEqual([
      { command: 'GetItem', consistent: false, items: 1, units: 1 },
      { command: 'Query', consistent: true, items: 3, units: 2 },
      { command: 'BatchGetItem', consistent: false, items: 1, units: 1 },
    ]);
  });

  it('ends a Query page at 1 MB and resumes after its last key', async () => {
    const items = Array.from({ length: 300 }, (_, i) => sized('p', String(i).padStart(3, '0'), 4000));
    const table = memoryTable(items);
    const pages: number[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await table.client.send(
        new QueryCommand({
          TableName: 't',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'p' },
          ExclusiveStartKey: startKey,
        }),
      );
      pages.push(out.Items?.length ?? 0);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    expect(pages).toEqual([263, 37]);
    expect(table.reads.reduce((n, r) => n + r.units, 0)).toBe(
      queryPageUnits(Array(263).fill(4000), false) + queryPageUnits(Array(37).fill(4000), false),
    );
  });
});
