import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetUnits, getItemUnits, itemBytes, queryPageUnits } from './read-units.ts';

/** One read the table answered and the units DynamoDB would have charged for it. */
export interface ReadRecord {
  command: 'GetItem' | 'BatchGetItem' | 'Query';
  consistent: boolean;
  items: number;
  units: number;
}

/** DynamoDB's page limit for a Query: the items read, before any filter, stop at 1 MB. */
const PAGE_BYTES = 1024 * 1024;

interface Stored {
  item: Record<string, unknown>;
  bytes: number;
}

const keyOf = (pk: unknown, sk: unknown) => `${pk}\u0000${sk}`;

/**
 * A document client answering GetItem, BatchGetItem, `pk = :pk` Queries (paged at 1 MB, sort keys
 * ascending) and unconditional Puts from memory, for measuring the app's own CPU per request without a
 * database or its marshalling, and the read units each read would cost (`reads`, and
 * `ConsumedCapacity` when asked for, computed from the items' sizes by `read-units.ts`). Items are
 * copied per read, as the SDK would hand out fresh objects. Condition expressions are not evaluated.
 */
export function memoryTable(items: Iterable<Record<string, unknown>>) {
  const byKey = new Map<string, Stored>();
  const byPk = new Map<string, Map<string, Stored>>();
  const sortedPk = new Map<string, Stored[]>();
  const put = (item: Record<string, unknown>) => {
    const stored = { item, bytes: itemBytes(item) };
    byKey.set(keyOf(item.pk, item.sk), stored);
    const pk = String(item.pk);
    const list = byPk.get(pk) ?? new Map<string, Stored>();
    list.set(String(item.sk), stored);
    byPk.set(pk, list);
    sortedPk.delete(pk);
  };
  for (const item of items) put(item);
  const partition = (pk: string): Stored[] => {
    let sorted = sortedPk.get(pk);
    if (!sorted) {
      const list = byPk.get(pk) ?? new Map<string, Stored>();
      sorted = [...list.keys()].sort().map((sk) => list.get(sk) as Stored);
      sortedPk.set(pk, sorted);
    }
    return sorted;
  };

  const reads: ReadRecord[] = [];
  const record = (r: ReadRecord, wanted: unknown, table: unknown) => {
    reads.push(r);
    return wanted ? { ConsumedCapacity: { TableName: table, CapacityUnits: r.units } } : {};
  };

  const send = async (command: unknown) => {
    if (command instanceof GetCommand) {
      const { Key, ConsistentRead, ReturnConsumedCapacity, TableName } = command.input;
      const key = Key as { pk: string; sk: string };
      const found = byKey.get(keyOf(key.pk, key.sk));
      const consistent = ConsistentRead === true;
      const units = getItemUnits(found?.bytes ?? null, consistent);
      return {
        Item: found ? structuredClone(found.item) : undefined,
        ...record(
          { command: 'GetItem', consistent, items: found ? 1 : 0, units },
          ReturnConsumedCapacity,
          TableName,
        ),
      };
    }
    if (command instanceof BatchGetCommand) {
      const { RequestItems, ReturnConsumedCapacity } = command.input;
      const Responses: Record<string, Record<string, unknown>[]> = {};
      const ConsumedCapacity: Array<{ TableName: string; CapacityUnits: number }> = [];
      for (const [table, request] of Object.entries(RequestItems ?? {})) {
        const consistent = request.ConsistentRead === true;
        const found = (request.Keys ?? []).map((k) => byKey.get(keyOf(k.pk, k.sk)));
        const units = batchGetUnits(
          found.map((s) => s?.bytes ?? null),
          consistent,
        );
        const present = found.filter((s): s is Stored => s !== undefined);
        reads.push({ command: 'BatchGetItem', consistent, items: present.length, units });
        Responses[table] = present.map((s) => structuredClone(s.item));
        ConsumedCapacity.push({ TableName: table, CapacityUnits: units });
      }
      return { Responses, UnprocessedKeys: {}, ...(ReturnConsumedCapacity ? { ConsumedCapacity } : {}) };
    }
    if (command instanceof QueryCommand && command.input.KeyConditionExpression === 'pk = :pk') {
      const {
        ExpressionAttributeValues,
        ExclusiveStartKey,
        ConsistentRead,
        ReturnConsumedCapacity,
        TableName,
      } = command.input;
      const all = partition(String(ExpressionAttributeValues?.[':pk']));
      let from = 0;
      if (ExclusiveStartKey) {
        const after = String(ExclusiveStartKey.sk);
        while (from < all.length && String(all[from]?.item.sk) <= after) from++;
      }
      const page: Stored[] = [];
      let bytes = 0;
      for (let i = from; i < all.length && bytes < PAGE_BYTES; i++) {
        const s = all[i] as Stored;
        page.push(s);
        bytes += s.bytes;
      }
      const last = page[page.length - 1];
      const more = from + page.length < all.length && last !== undefined;
      const consistent = ConsistentRead === true;
      const units = queryPageUnits(
        page.map((s) => s.bytes),
        consistent,
      );
      return {
        Items: page.map((s) => structuredClone(s.item)),
        LastEvaluatedKey: more ? { pk: last.item.pk, sk: last.item.sk } : undefined,
        ...record(
          { command: 'Query', consistent, items: page.length, units },
          ReturnConsumedCapacity,
          TableName,
        ),
      };
    }
    if (command instanceof PutCommand) {
      put(structuredClone(command.input.Item as Record<string, unknown>));
      return {};
    }
    throw new Error(`the in-memory table does not serve ${(command as object).constructor.name}`);
  };
  const client = { send, destroy: () => {} } as unknown as DynamoDBDocumentClient;
  return { client, reads, put };
}

/** The in-memory table's document client alone. */
export function memoryDocumentClient(items: Iterable<Record<string, unknown>>): DynamoDBDocumentClient {
  return memoryTable(items).client;
}
