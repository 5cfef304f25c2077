import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.ts';
import type { ChangeEvent } from '../domain/model.ts';
import type { ChangeType } from '../domain/types.ts';
import { isConditionFailure } from './dynamo.ts';
import { keys } from './keys.ts';
import { stripKeys } from './page.ts';

export type NewChangeEvent = Omit<ChangeEvent, 'id' | 'seq'> & {
  /** Deterministic identity of the event (e.g. `published:<resultId>`): appending it twice is a no-op. */
  key: string;
};

/** A claim older than this whose event is not found is taken over by the next appender. */
const STALE_CLAIM_MS = 30_000;
const MAX_APPEND_ATTEMPTS = 200;
/** How far back a recovering appender looks for an event its crashed predecessor may have written. */
const RECOVERY_WINDOW = 200;

/**
 * The change feed: one partition with contiguous sequence numbers. Slot n+1 is taken with a
 * conditional put only after slot n exists, so there are never gaps and a reader that follows the
 * sequence can never step over an event that becomes visible later. A claim item per event key makes
 * appends idempotent without transactions.
 */
export class EventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(event: NewChangeEvent): Promise<ChangeEvent> {
    const claimKey = keys.eventClaim(event.key);
    const existing = await this.db.send(
      new GetCommand({ TableName: this.table, Key: claimKey, ConsistentRead: true }),
    );
    const claim = existing.Item as { seq?: number; claimedAt?: string } | undefined;
    if (claim?.seq !== undefined) return this.get(claim.seq) as Promise<ChangeEvent>;
    if (claim) {
      const age = this.now().getTime() - Date.parse(claim.claimedAt ?? '');
      if (!(age > STALE_CLAIM_MS)) throw new EventAppendInProgressError(event.key);
      const found = await this.findRecent(event.key);
      if (found) {
        await this.settle(event.key, found.seq);
        return found;
      }
    } else {
      const owner = randomUUID();
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...claimKey, claimedAt: this.now().toISOString(), owner },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (err) {
        if (isConditionFailure(err)) return this.append(event);
        await this.abandon(event.key, owner);
        throw err;
      }
      try {
        const written = await this.writeNextSlot(event);
        await this.settle(event.key, written.seq);
        return written;
      } catch (err) {
        await this.abandon(event.key, owner);
        throw err;
      }
    }
    const written = await this.writeNextSlot(event);
    await this.settle(event.key, written.seq);
    return written;
  }

  /**
   * A failed appender gives up its claim by dating it back, so the caller's retry takes it over at
   * once (looking for an event the failed attempt may have written) instead of being held off until
   * the claim goes stale. Best effort: if this fails too, the claim goes stale after 30 s.
   */
  private async abandon(key: string, owner: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.eventClaim(key),
          UpdateExpression: 'SET claimedAt = :epoch',
          ConditionExpression: '#owner = :owner AND attribute_not_exists(seq)',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':epoch': new Date(0).toISOString(), ':owner': owner },
        }),
      )
      .catch(() => {});
  }

  private async writeNextSlot(event: NewChangeEvent): Promise<ChangeEvent> {
    let seq = (await this.headSeq()) + 1;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const stored: ChangeEvent & { key: string } = {
        id: String(seq),
        seq,
        key: event.key,
        type: event.type,
        uscc: event.uscc,
        district: event.district,
        occurredAt: event.occurredAt,
        recordedAt: this.now().toISOString(),
        before: event.before,
        after: event.after,
      };
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keys.event(seq), ...stored },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        const { key: _key, ...written } = stored;
        return written;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        // The slot is taken, so it exists and the next one may be taken without leaving a gap.
        // Walking forward keeps losers as fast as newcomers (a growing back-off starved them);
        // after a few lost races, jump to the head instead of walking slot by slot.
        if (attempt % 4 === 3) {
          await new Promise((r) => setTimeout(r, Math.random() * 4));
          seq = Math.max(seq + 1, (await this.headSeq()) + 1);
        } else {
          seq += 1;
        }
      }
    }
    throw new Error('could not append to the change feed: too much contention');
  }

  private async settle(key: string, seq: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.eventClaim(key),
        UpdateExpression: 'SET seq = :seq',
        ExpressionAttributeValues: { ':seq': seq },
      }),
    );
  }

  /** Sequence number of the newest event, 0 when the feed is empty. */
  async headSeq(): Promise<number> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.feedPartition },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
        ProjectionExpression: 'sk',
      }),
    );
    const sk = out.Items?.[0]?.sk;
    return typeof sk === 'string' ? keys.eventSeqFromSk(sk) : 0;
  }

  async get(seq: number): Promise<ChangeEvent | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.event(seq), ConsistentRead: true }),
    );
    return out.Item ? toEvent(out.Item) : null;
  }

  /**
   * Events after `afterSeq` in sequence order. `types` and `district` filter in DynamoDB; `lastSeq`
   * is the last sequence number examined, so a filtered page still moves the cursor forward.
   */
  async list(args: {
    afterSeq: number;
    limit: number;
    types?: ChangeType[];
    district?: string;
    consistent?: boolean;
  }): Promise<{ items: ChangeEvent[]; lastSeq: number; more: boolean }> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':pk': keys.feedPartition,
      ':after': keys.event(args.afterSeq).sk,
    };
    const filters: string[] = [];
    if (args.types && args.types.length > 0) {
      names['#type'] = 'type';
      const placeholders = args.types.map((t, i) => {
        values[`:t${i}`] = t;
        return `:t${i}`;
      });
      filters.push(`#type IN (${placeholders.join(', ')})`);
    }
    if (args.district) {
      names['#district'] = 'district';
      values[':district'] = args.district;
      filters.push('#district = :district');
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk > :after',
        FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
        ExpressionAttributeNames: filters.length > 0 ? names : undefined,
        ExpressionAttributeValues: values,
        Limit: args.limit,
        ConsistentRead: args.consistent ?? false,
      }),
    );
    const items = (out.Items ?? []).map(toEvent);
    const lastSk = out.LastEvaluatedKey?.sk ?? items.at(-1)?.seq;
    const lastSeq =
      typeof lastSk === 'string'
        ? keys.eventSeqFromSk(lastSk)
        : typeof lastSk === 'number'
          ? lastSk
          : args.afterSeq;
    return { items, lastSeq, more: out.LastEvaluatedKey !== undefined };
  }

  /** The newest event (consistent read), null when the feed is empty: what feed ETags are built from. */
  async head(): Promise<ChangeEvent | null> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.feedPartition },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? toEvent(item) : null;
  }

  /**
   * Up to `limit` events with `from < seq <= to`, unfiltered, consistent, in ascending order or
   * (`newestFirst`) descending from `to`. Readers that filter do it on these, so they can see every
   * sequence number they step over and never skip one that is not yet visible.
   */
  async range(args: {
    from: number;
    to: number;
    limit: number;
    newestFirst?: boolean;
  }): Promise<ChangeEvent[]> {
    if (args.to <= args.from) return [];
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':pk': keys.feedPartition,
          ':lo': keys.event(args.from + 1).sk,
          ':hi': keys.event(args.to).sk,
        },
        ScanIndexForward: !args.newestFirst,
        Limit: args.limit,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(toEvent);
  }

  private async findRecent(key: string): Promise<ChangeEvent | null> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#key = :key',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':pk': keys.feedPartition, ':key': key },
        ScanIndexForward: false,
        Limit: RECOVERY_WINDOW,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? toEvent(item) : null;
  }
}

/**
 * Another appender holds a fresh claim on the same event: retry shortly. A conflict, so a request that
 * meets it is answered 409 (retryable), not 500.
 */
export class EventAppendInProgressError extends ConflictError {
  constructor(key: string) {
    super(`change event ${key} is being appended by another request`);
    this.name = 'EventAppendInProgressError';
  }
}

function toEvent(item: Record<string, unknown>): ChangeEvent {
  const { key: _key, ...rest } = stripKeys<ChangeEvent & { key: string }>(item);
  return rest;
}
