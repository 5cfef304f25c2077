import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventAppendInProgressError, EventStore, type NewChangeEvent } from '#shared/store/events.ts';
import { keys } from '#shared/store/keys.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const event = (key: string, overrides: Partial<NewChangeEvent> = {}): NewChangeEvent => ({
  key,
  type: 'published',
  uscc: '91330106MA0000001X',
  district: '西湖区',
  occurredAt: '2026-11-23T10:00:00.000+08:00',
  before: null,
  after: { grade: 'A' },
  ...overrides,
});

describe('change feed store against dynalite', () => {
  const dynamo = useTestDynamo();
  let table: string;
  let store: EventStore;
  let now = new Date('2026-11-23T02:00:00Z');

  beforeEach(async () => {
    table = await dynamo.freshTable();
    now = new Date('2026-11-23T02:00:00Z');
    store = new EventStore(dynamo.db, table, () => now);
  });

  it('numbers events 1, 2, 3 in append order', async () => {
    const a = await store.append(event('a'));
    const b = await store.append(event('b'));
    const c = await store.append(event('c', { type: 'downgraded' }));
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    const page = await store.list({ afterSeq: 0, limit: 10 });
    expect(page.items.map((e) => e.type)).toEqual(['published', 'published', 'downgraded']);
  });

  it('appends an event key only once, however often it is retried', async () => {
    const first = await store.append(event('published:r1'));
    const again = await store.append(event('published:r1'));
    expect(again).toEqual(first);
    expect(await store.headSeq()).toBe(1);
  });

  it('gives concurrent appenders contiguous sequence numbers without gaps or duplicates', async () => {
    const written = await Promise.all(Array.from({ length: 24 }, (_, i) => store.append(event(`k${i}`))));
    expect(written.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    const all = await store.list({ afterSeq: 0, limit: 100 });
    expect(new Set(all.items.map((e) => e.uscc + e.seq)).size).toBe(24);
  });

  it('refuses to race a fresh claim, and recovers a stale one without appending twice', async () => {
    await dynamo.db.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.eventClaim('stuck'), claimedAt: now.toISOString() },
      }),
    );
    await expect(store.append(event('stuck'))).rejects.toBeInstanceOf(EventAppendInProgressError);
    now = new Date(now.getTime() + 60_000);
    const recovered = await store.append(event('stuck'));
    expect(recovered.seq).toBe(1);
    expect(await store.append(event('stuck'))).toEqual(recovered);
    expect(await store.headSeq()).toBe(1);
  });

  it('filters by type and district and still moves the cursor over what it skipped', async () => {
    await store.append(event('1', { district: '滨江区' }));
    await store.append(event('2', { type: 'downgraded' }));
    await store.append(event('3'));
    const page = await store.list({ afterSeq: 0, limit: 10, types: ['published'], district: '西湖区' });
    expect(page.items.map((e) => e.seq)).toEqual([3]);
    expect(page.lastSeq).toBe(3);
  });
});
