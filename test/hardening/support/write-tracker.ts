import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)(Item)?Command$/;

/** A write DynamoDB accepted, with the keys it touched. */
export interface AcceptedWrite {
  command: string;
  keys: string[];
}

/**
 * Records every write the client completes successfully under the request that caused it (requests
 * may run concurrently: each runs in its own async context), so a test can check that a refused
 * request wrote nothing.
 */
export function trackWrites(db: DynamoDBDocumentClient) {
  const current = new AsyncLocalStorage<AcceptedWrite[]>();
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const command = String(context.commandName ?? '');
      if (WRITES.test(command)) {
        current.getStore()?.push({ command, keys: keysOf(args.input as Record<string, unknown>) });
      }
      return out;
    },
    { step: 'initialize', name: 'hardeningWriteTracker' },
  );
  return {
    /** Runs `fn` and returns its result with the writes it caused. */
    async within<T>(fn: () => Promise<T>): Promise<{ result: T; writes: AcceptedWrite[] }> {
      const writes: AcceptedWrite[] = [];
      const result = await current.run(writes, fn);
      return { result, writes };
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: command inputs of several shapes
function keysOf(input: any): string[] {
  const key = (k: Record<string, unknown> | undefined) => (k ? `${flat(k.pk)}|${flat(k.sk)}` : '?');
  if (input.Item) return [key(input.Item)];
  if (input.Key) return [key(input.Key)];
  const out: string[] = [];
  for (const reqs of Object.values(input.RequestItems ?? {}) as unknown[][]) {
    for (const r of reqs as Array<Record<string, { Item?: unknown; Key?: unknown }>>) {
      out.push(key((r.PutRequest?.Item ?? r.DeleteRequest?.Key) as Record<string, unknown>));
    }
  }
  for (const t of (input.TransactItems ?? []) as Array<Record<string, { Item?: unknown; Key?: unknown }>>) {
    const op = Object.values(t)[0];
    out.push(key((op?.Item ?? op?.Key) as Record<string, unknown>));
  }
  return out;
}

/** Low-level commands carry `{S: ...}` attribute values; document commands carry plain strings. */
function flat(v: unknown): string {
  if (v && typeof v === 'object' && 'S' in v) return String((v as { S: unknown }).S);
  return String(v);
}
