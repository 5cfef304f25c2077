import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * A document client answering GetItem and `pk = :pk` Queries from a Map, for measuring the app's own CPU
 * per request without a database or its marshalling. Items are copied per read, as the SDK would
 * hand out fresh objects.
 */
export function memoryDocumentClient(items: Iterable<Record<string, unknown>>): DynamoDBDocumentClient {
  const byKey = new Map<string, Record<string, unknown>>();
  const byPk = new Map<string, Record<string, unknown>[]>();
  for (const item of items) {
    byKey.set(`${item.pk}\u0000${item.sk}`, item);
    const list = byPk.get(String(item.pk)) ?? [];
    list.push(item);
    byPk.set(String(item.pk), list);
  }
  const send = async (command: unknown) => {
    if (command instanceof GetCommand) {
      const key = command.input.Key as { pk: string; sk: string };
      const item = byKey.get(`${key.pk}\u0000${key.sk}`);
      return { Item: item ? structuredClone(item) : undefined };
    }
    if (command instanceof QueryCommand && command.input.KeyConditionExpression === 'pk = :pk') {
      const pk = String(command.input.ExpressionAttributeValues?.[':pk']);
      return { Items: (byPk.get(pk) ?? []).map((i) => structuredClone(i)) };
    }
    throw new Error(`the in-memory table does not serve ${(command as object).constructor.name}`);
  };
  return { send, destroy: () => {} } as unknown as DynamoDBDocumentClient;
}
