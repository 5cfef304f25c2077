import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSnapshot, SnapshotFormatError } from '#shared/domain/register-snapshot.ts';
import { PLAIN } from '#shared/domain/search-pack.ts';
import {
  FileSnapshotStore,
  PresignedSnapshotReader,
  packSnapshot,
  REGISTER_SNAPSHOT_KEY,
  unpackSnapshot,
} from '#shared/exports/register-snapshot-store.ts';

const at = new Date('2026-11-23T02:00:00Z');

describe('register snapshot storage', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('packs and unpacks the rows and the version, fields the rows lack coming back null', () => {
    const row = { uscc: 'U1', name: '甲', sortName: 'jia', texts: ['甲'], pinyin: ['jia'], v: 3 } as never;
    const dated = { ...(row as object), uscc: 'U2', registeredOn: '2025-01-01' } as never;
    const back = unpackSnapshot(packSnapshot(12, [row, dated], at));
    expect(back.v).toBe(12);
    expect(back.index.get('U1')).toMatchObject({ uscc: 'U1', name: '甲', v: 3, registeredOn: null });
    expect(back.index.get('U2')).toMatchObject({ registeredOn: '2025-01-01' });
    expect(back.index.search({ query: 'jia', filter: {}, limit: 5, after: null }).hits).toHaveLength(2);
  });

  it('refuses bytes that are not a snapshot of this format, whole and with this codec', () => {
    const good = packSnapshot(1, [], at);
    const bads = [
      gzipSync('{"format":1,"v":1,"fields":["uscc"],"rows":[]}'),
      gzipSync('[]'),
      new Uint8Array([1, 2]),
      good.slice(0, good.length - 1),
      new Uint8Array([...good, 0]),
    ];
    for (const bytes of bads) expect(() => unpackSnapshot(bytes)).toThrow(SnapshotFormatError);
    expect(() => decodeSnapshot(good, PLAIN)).toThrow(/codec/);
  });

  it('keeps the local stand-in in the data directory, none before the first write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapshot-'));
    dirs.push(dir);
    const store = new FileSnapshotStore(dir);
    expect(await store.read()).toBeNull();
    await store.write(new Uint8Array([1, 2, 3]));
    expect([...((await store.read()) as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it('reads the object with one presigned GET; 404 and 403 mean none, other failures throw', async () => {
    const asked: string[] = [];
    const links = { presign: async (method: string, key: string) => `https://b.test/${key}?m=${method}` };
    const answering = (status: number) =>
      new PresignedSnapshotReader(links, async (url) => {
        asked.push(String(url));
        return new Response(status === 200 ? new Uint8Array([7]) : 'no', { status });
      });
    expect([...((await answering(200).read()) as Uint8Array)]).toEqual([7]);
    expect(asked).toEqual([`https://b.test/${REGISTER_SNAPSHOT_KEY}?m=GET`]);
    expect(await answering(404).read()).toBeNull();
    expect(await answering(403).read()).toBeNull();
    await expect(answering(500).read()).rejects.toThrow(/500/);
  });
});
