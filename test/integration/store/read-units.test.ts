import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { calendarFrom } from '#shared/bootstrap.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { batchPut, buildDemoData } from '#shared/local/demo.ts';
import { keys } from '#shared/store/keys.ts';
import { registerRowItem } from '#shared/store/register-rows.ts';
import { memoryTable } from '../../../bench/memory-table.ts';
import { itemBytes } from '../../../bench/read-units.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * The bench's read units (bench/read-units.ts, through the in-memory table) against what dynalite
 * returns as ConsumedCapacity for the same reads of the same items.
 */
type Item = Record<string, unknown>;

/** An item with every kind of value, padded with a string so that it is exactly `bytes` by the bench's sizing. */
function mixed(sk: string, bytes: number): Item {
  const base = { pk: 'm', sk, n: 12345, f: 2.25, b: true, z: null, l: ['ab', 7], m: { k: 'v', n: 2 }, d: '' };
  return { ...base, d: 'x'.repeat(bytes - itemBytes(base)) };
}

/** The same item with every character outside ASCII replaced by one ASCII character. */
const ascii = (item: Item): Item => JSON.parse(JSON.stringify(item).replace(/[^ -~]/g, 'x')) as Item;

const dynamo = useTestDynamo();

async function bothSend(table: string, items: Item[], command: (t: string) => object) {
  const memory = memoryTable(items);
  const mine = (await memory.client.send(command(table) as never)) as { ConsumedCapacity?: unknown };
  const theirs = (await dynamo.db.send(command(table) as never)) as { ConsumedCapacity?: unknown };
  const units = (cc: unknown) =>
    Array.isArray(cc)
      ? cc.reduce((n: number, c: { CapacityUnits: number }) => n + c.CapacityUnits, 0)
      : (cc as { CapacityUnits: number }).CapacityUnits;
  return { mine: units(mine.ConsumedCapacity), dynalite: units(theirs.ConsumedCapacity) };
}

describe('read units against dynalite', () => {
  it('agree at the 4 KB boundary for GetItem, both consistencies', async () => {
    const table = await dynamo.freshTable();
    const items = [mixed('at', 4096), mixed('over', 4097)];
    await batchPut(dynamo.db, table, items, 1);
    for (const [sk, consistent, units] of [
      ['at', false, 0.5],
      ['over', false, 1],
      ['at', true, 1],
      ['over', true, 2],
    ] as const) {
      const get = (t: string) =>
        new GetCommand({
          TableName: t,
          Key: { pk: 'm', sk },
          ConsistentRead: consistent,
          ReturnConsumedCapacity: 'TOTAL',
        });
      expect(await bothSend(table, items, get)).toEqual({ mine: units, dynalite: units });
    }
  });

  it('agree for a Query rounded over the page and a BatchGet rounded per item', async () => {
    const table = await dynamo.freshTable();
    const items = [mixed('1', 1536), mixed('2', 1536), mixed('3', 1536)];
    await batchPut(dynamo.db, table, items, 1);
    const query = (t: string) =>
      new QueryCommand({
        TableName: t,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'm' },
        ReturnConsumedCapacity: 'TOTAL',
      });
    expect(await bothSend(table, items, query)).toEqual({ mine: 1, dynalite: 1 });
    const batch = (t: string) =>
      new BatchGetCommand({
        RequestItems: { [t]: { Keys: items.map((i) => ({ pk: i.pk, sk: i.sk })) } },
        ReturnConsumedCapacity: 'TOTAL',
      });
    expect(await bothSend(table, items, batch)).toEqual({ mine: 1.5, dynalite: 1.5 });
  });

  it('agree on a cold walk of 1,000 register rows once text is ASCII; with Chinese names dynalite undercounts', async () => {
    const data = buildDemoData({ count: 1000, today: '2026-11-23', calendar: calendarFrom({}) });
    const rows = data.profiles.map(registerRowOf).map(registerRowItem);
    const walk = async (items: Item[]) => {
      const table = await dynamo.freshTable();
      await batchPut(dynamo.db, table, items, 8);
      const totals = { mine: 0, dynalite: 0 };
      for (const pk of keys.registerShards()) {
        const query = (t: string) =>
          new QueryCommand({
            TableName: t,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ReturnConsumedCapacity: 'TOTAL',
          });
        const units = await bothSend(table, items, query);
        totals.mine += units.mine;
        totals.dynalite += units.dynalite;
      }
      return totals;
    };
    const asAscii = await walk(rows.map(ascii));
    expect(asAscii.mine).toBe(asAscii.dynalite);
    // DynamoDB sizes strings in UTF-8 bytes (3 per Chinese character); dynalite in UTF-16 code units.
    const asStored = await walk(rows);
    expect(asStored.dynalite).toBe(asAscii.dynalite);
    expect(asStored.mine).toBeGreaterThan(asStored.dynalite);
  });
});
