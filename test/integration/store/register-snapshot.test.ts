import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import { SNAPSHOT_FORMAT } from '#shared/domain/register-snapshot.ts';
import { characterPinyin } from '#shared/domain/search-terms.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import {
  MemorySnapshotStore,
  packSnapshot,
  unpackSnapshot,
} from '#shared/exports/register-snapshot-store.ts';
import { RegisterSnapshotJob } from '#shared/jobs/register-snapshot.ts';
import { RegisterIndexSource, type SnapshotFallback } from '#shared/store/register-index.ts';
import { RECENT_CHANGES, RegisterRows } from '#shared/store/register-rows.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const clock = fixedClock('2026-11-23T10:00:00+08:00');

function row(n: number, name: string, grade: RegisterRow['grade'] = 'A', v = 1): RegisterRow {
  return {
    uscc: makeUscc(`91330106${String(n).padStart(9, '0')}`),
    name,
    aliases: [],
    kind: 'clinic',
    district: '西湖区',
    grade,
    score: grade === 'A' ? 96 : 88,
    closed: false,
    closedOn: null,
    publishedOn: '2026-01-05',
    nextReviewDue: '2030-01-05',
    reviewOverdue: false,
    inPublicity: false,
    registeredOn: '2025-01-01',
    sortName: characterPinyin(name).replace(/ /g, ''),
    texts: [name],
    pinyin: [characterPinyin(name)],
    v,
  };
}

describe('register snapshot: written when the version moves, loaded by a cold instance', () => {
  const dynamo = useTestDynamo();
  let table: string;
  let rows: RegisterRows;
  let reads: number;
  let store: MemorySnapshotStore;
  let fallbacks: SnapshotFallback[];

  beforeEach(async () => {
    table = await dynamo.freshTable();
    reads = 0;
    rows = new RegisterRows(dynamo.db, table, { onCapacity: () => reads++ });
    store = new MemorySnapshotStore();
    fallbacks = [];
  });

  const write = async (r: RegisterRow) => {
    await rows.put(r);
    await rows.bump(r.uscc);
  };
  const job = () => new RegisterSnapshotJob({ rows, db: dynamo.db, table, store, clock });
  const coldInstance = () =>
    new RegisterIndexSource(rows, { snapshot: store, onFallback: (reason) => fallbacks.push(reason) });
  const gradeOf = async (source: RegisterIndexSource, r: RegisterRow) =>
    (await source.current()).get(r.uscc)?.grade;

  it('writes the rows at the version it read, and skips a run while the version stands', async () => {
    await write(row(1, '西湖悦颜医疗美容诊所'));
    await write(row(2, '滨江素妍医疗美容诊所'));
    const first = await job().run('2026-11-23');
    expect(first).toMatchObject({ version: 2, institutions: 2 });
    const snap = unpackSnapshot(store.bytes as Uint8Array);
    expect(snap.v).toBe(2);
    expect([...snap.index.rows()].map((r) => r.name).sort()).toEqual([
      '滨江素妍医疗美容诊所',
      '西湖悦颜医疗美容诊所',
    ]);

    const again = await job().run('2026-11-23');
    expect(again.skipped).toMatch(/version 2 already written/);

    await write(row(3, '萧山澜庭医疗美容诊所'));
    expect(await job().run('2026-11-23')).toMatchObject({ version: 3, institutions: 3 });
    expect(unpackSnapshot(store.bytes as Uint8Array).v).toBe(3);
  });

  it('a cold instance at the snapshot version reads the version item and nothing else', async () => {
    const a = row(1, '西湖悦颜医疗美容诊所');
    await write(a);
    await write(row(2, '滨江素妍医疗美容诊所'));
    await job().run('2026-11-23');
    reads = 0;
    const source = coldInstance();
    const index = await source.current();
    expect(index.size).toBe(2);
    expect(source.last).toEqual({ kind: 'snapshot', rowsRead: 0 });
    expect(reads).toBe(1);
    expect(store.reads).toBe(1);
    expect(fallbacks).toEqual([]);
    expect(index.search({ query: 'xihu', filter: {}, limit: 5, after: null }).hits[0]?.row.uscc).toBe(a.uscc);
  });

  it('reads again only the institutions changed after the snapshot, so it is never older than the version item', async () => {
    const a = row(1, '西湖悦颜医疗美容诊所', 'A');
    await write(a);
    await job().run('2026-11-23');
    await write({ ...a, grade: 'B', v: 2 });
    const b = row(2, '滨江素妍医疗美容诊所');
    await write(b);
    const source = coldInstance();
    expect(await gradeOf(source, a)).toBe('B');
    expect((await source.current()).get(b.uscc)?.name).toBe(b.name);
    expect(source.last.kind).toBe('unchanged');
    expect(fallbacks).toEqual([]);
  });

  it('falls back to the walk, and counts it, when more changed than the version item remembers', async () => {
    const a = row(1, '西湖悦颜医疗美容诊所', 'A');
    await write(a);
    await job().run('2026-11-23');
    for (let n = 0; n <= RECENT_CHANGES; n++) await write({ ...a, grade: n % 2 ? 'A' : 'B', v: 2 + n });
    const latest = (n: number) => (n % 2 ? 'A' : 'B');
    const source = coldInstance();
    expect(await gradeOf(source, a)).toBe(latest(RECENT_CHANGES));
    expect(fallbacks).toEqual(['stale']);
  });

  it('falls back when there is no snapshot yet', async () => {
    const a = row(1, '西湖悦颜医疗美容诊所');
    await write(a);
    const source = coldInstance();
    expect(await gradeOf(source, a)).toBe('A');
    expect(source.last).toEqual({ kind: 'cold', rowsRead: 1 });
    expect(fallbacks).toEqual(['missing']);
  });

  it('falls back when the stored bytes are not a snapshot, or one of another format', async () => {
    const a = row(1, '西湖悦颜医疗美容诊所');
    await write(a);
    store.bytes = new TextEncoder().encode('not gzip at all');
    expect(await gradeOf(coldInstance(), a)).toBe('A');
    const { gzipSync } = await import('node:zlib');
    store.bytes = gzipSync(JSON.stringify({ format: SNAPSHOT_FORMAT + 1, v: 9, fields: [], rows: [] }));
    expect(await gradeOf(coldInstance(), a)).toBe('A');
    expect(fallbacks).toEqual(['unreadable', 'unreadable']);
  });

  it('takes a snapshot newer than a lagging read of the version item as it is', async () => {
    const a = row(1, '西湖悦颜医疗美容诊所', 'B', 5);
    await write(row(1, '西湖悦颜医疗美容诊所', 'A'));
    store.bytes = packSnapshot(7, [a], clock.now());
    const source = coldInstance();
    expect(await gradeOf(source, a)).toBe('B');
    expect(fallbacks).toEqual([]);
  });
});
