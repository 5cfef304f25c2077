import { describe, expect, it } from 'vitest';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import {
  BytesPack,
  encodePack,
  hashKey,
  PACK_FORMAT,
  PackBuilder,
  PLAIN,
  SnapshotFormatError,
} from '#shared/domain/search-pack.ts';

const at = new Date('2026-11-23T02:00:00Z');

/** Rows named by number, enough of them to fill several blocks of 32. */
const rows: RegisterRow[] = Array.from(
  { length: 75 },
  (_, n) =>
    ({
      uscc: `U${String(n).padStart(3, '0')}`,
      name: `机构${n}`,
      sortName: `jigou${n}`,
      texts: [`机构${n}`],
      pinyin: ['ji gou'],
      district: n % 2 ? '西湖区' : '上城区',
      v: n,
      ...(n % 3 ? { address: `文三路${n}号` } : {}),
    }) as unknown as RegisterRow,
);

/** Each row posts `all` at 0, `odd` at 1 when odd, `big` at position n, and its own key. */
function built() {
  const builder = new PackBuilder();
  for (const [n, row] of rows.entries()) {
    builder.next();
    builder.post('all', 0);
    builder.post('all', 0);
    if (n % 2) builder.post('odd', 1);
    builder.post('big', n);
    builder.post(`u${row.uscc}`, 0);
    builder.syllable(n % 2 ? 'gou' : 'ji');
  }
  return builder.build(rows);
}

const lists = (xs: readonly (Uint32Array | undefined)[]) => xs.map((l) => (l ? [...l] : undefined));

describe('the packed register', () => {
  it('lists each key by position, each ordinal once and ascending, and the syllables spelt', () => {
    const pack = built();
    expect(lists(pack.lists(hashKey('all')))).toEqual([rows.map((_, n) => n)]);
    expect(lists(pack.lists(hashKey('odd')))).toEqual([
      undefined,
      rows.map((_, n) => n).filter((n) => n % 2),
    ]);
    expect(pack.lists(hashKey('big'))[74]?.[0]).toBe(74);
    expect(pack.lists(hashKey('none'))).toEqual([]);
    expect([pack.size(hashKey('all')), pack.size(hashKey('odd')), pack.size(hashKey('none'))]).toEqual([
      75, 37, 0,
    ]);
    expect(pack.syllables).toEqual(['gou', 'ji']);
    expect([pack.count, pack.row(40)]).toEqual([75, rows[40]]);
  });

  it('reads back from its bytes the same lists and rows, fields a row lacks coming back null', () => {
    const pack = built();
    const bytes = new BytesPack(encodePack(pack, 9, at, PLAIN), PLAIN);
    expect([bytes.v, bytes.count, bytes.syllables]).toEqual([9, 75, ['gou', 'ji']]);
    for (const key of ['all', 'odd', 'big', 'none', 'uU074', 'uU000']) {
      expect(lists(bytes.lists(hashKey(key))), key).toEqual(lists(pack.lists(hashKey(key))));
      expect(bytes.size(hashKey(key)), key).toBe(pack.size(hashKey(key)));
    }
    for (const n of [0, 31, 32, 63, 64, 74]) {
      expect(bytes.row(n)).toEqual({ ...rows[n], address: (rows[n] as RegisterRow).address ?? null });
    }
  });

  it('reads bytes that start anywhere in their buffer, as a pooled Buffer does', () => {
    const encoded = encodePack(built(), 1, at, PLAIN);
    const shifted = new Uint8Array(encoded.length + 3);
    shifted.set(encoded, 3);
    const bytes = new BytesPack(shifted.subarray(3), PLAIN);
    expect([...(bytes.lists(hashKey('all'))[0] ?? [])]).toHaveLength(75);
    expect(bytes.row(74).uscc).toBe('U074');
  });

  it('packs an empty register', () => {
    const empty = new BytesPack(encodePack(new PackBuilder().build([]), 3, at, PLAIN), PLAIN);
    expect([empty.v, empty.count, empty.lists(hashKey('all'))]).toEqual([3, 0, []]);
  });

  it('refuses bytes of another format, cut short, with more after them, or without the rows it needs', () => {
    const good = encodePack(built(), 1, at, PLAIN);
    const header = (h: object) => {
      const text = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(4 + text.length);
      new DataView(out.buffer).setUint32(0, text.length, true);
      out.set(text, 4);
      return out;
    };
    const sizes = { keys: 0, payloadBytes: 0, blocks: 0, syllables: [] };
    const bads: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array([1]), /too short/],
      [new Uint8Array([255, 255, 0, 0, 1]), /no header/],
      [header({ format: PACK_FORMAT + 1 }), /format/],
      [header({ format: PACK_FORMAT, codec: 'plain', count: 0, fields: [], ...sizes }), /no version/],
      [header({ format: PACK_FORMAT, codec: 'plain', v: 1, fields: [], syllables: [] }), /no sizes/],
      [
        header({ format: PACK_FORMAT, codec: 'plain', v: 1, count: 1, fields: ['uscc'], ...sizes }),
        /no name/,
      ],
      [good.slice(0, good.length - 1), /truncated/],
      [new Uint8Array([...good, 0]), /truncated/],
    ];
    for (const [bytes, message] of bads) {
      expect(() => new BytesPack(bytes, PLAIN)).toThrow(SnapshotFormatError);
      expect(() => new BytesPack(bytes, PLAIN)).toThrow(message);
    }
    expect(() => new BytesPack(good, { ...PLAIN, name: 'other' })).toThrow(/codec plain/);
  });

  it('hashes keys apart (FNV-1a), so the lists of different grams rarely share', () => {
    expect(hashKey('')).toBe(0x811c9dc5);
    expect(hashKey('a')).toBe(0xe40c292c);
    const grams = ['c杭', 'c州', 'b杭州', 'i h', 'jhz', 'khzm', 'd西湖区', 'a文三'];
    expect(new Set(grams.map(hashKey)).size).toBe(grams.length);
  });
});

describe('a packed register larger than its first buffer', () => {
  /** 300 rows with long addresses: well over the writer's first 64 KiB, with ordinals past one varint byte. */
  const many: RegisterRow[] = Array.from(
    { length: 300 },
    (_, n) =>
      ({
        uscc: `V${String(n).padStart(4, '0')}`,
        name: `机构${n}`,
        sortName: `jigou${n}`,
        texts: [`机构${n}`],
        pinyin: ['ji gou'],
        address: `文三路${n}号`.repeat(40),
        v: n,
      }) as unknown as RegisterRow,
  );

  function packed() {
    const builder = new PackBuilder();
    for (const [n, row] of many.entries()) {
      builder.next();
      builder.post('all', 0);
      if (n % 150 === 0) builder.post('far', 0);
      builder.post(`k${n % 37}`, n % 5);
      builder.post(`u${row.uscc}`, 0);
    }
    return builder.build(many);
  }

  it('reads back every list and row, however long the lists and wide the gaps', () => {
    const pack = packed();
    const bytes = encodePack(pack, 70_000, at, PLAIN);
    expect(bytes.length).toBeGreaterThan(1 << 17);
    const read = new BytesPack(bytes, PLAIN);
    expect([read.v, read.count]).toEqual([70_000, 300]);
    expect(lists(read.lists(hashKey('far')))).toEqual([[0, 150]]);
    for (const key of ['all', 'k0', 'k36', 'uV0299', 'uV0000', 'uV0150']) {
      expect(lists(read.lists(hashKey(key))), key).toEqual(lists(pack.lists(hashKey(key))));
      expect(read.size(hashKey(key)), key).toBe(pack.size(hashKey(key)));
    }
    for (const n of [0, 127, 128, 255, 299]) expect(read.row(n)).toEqual(many[n]);
  });

  it('decodes a key’s lists and a block of rows once, then answers from what it decoded', () => {
    const read = new BytesPack(encodePack(packed(), 1, at, PLAIN), PLAIN);
    expect(read.lists(hashKey('all'))).toBe(read.lists(hashKey('all')));
    expect(read.lists(hashKey('none'))).toBe(read.lists(hashKey('none')));
    expect(read.row(40)).toBe(read.row(41 - 1));
  });
});

describe('a header that does not hold', () => {
  const header = (h: object) => {
    const text = new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(4 + text.length);
    new DataView(out.buffer).setUint32(0, text.length, true);
    out.set(text, 4);
    return out;
  };
  const base = {
    format: PACK_FORMAT,
    codec: 'plain',
    v: 1,
    count: 0,
    fields: [],
    syllables: [],
    keys: 0,
    payloadBytes: 0,
    blocks: 0,
  };
  const refused = (h: object, message: string) => {
    expect(() => new BytesPack(header(h), PLAIN)).toThrow(new SnapshotFormatError(message));
  };

  it('names what is missing or wrong', () => {
    refused({ ...base, v: -1 }, 'no version');
    refused({ ...base, v: 1.5 }, 'no version');
    refused({ ...base, v: '1' }, 'no version');
    for (const size of ['count', 'keys', 'payloadBytes', 'blocks']) {
      refused({ ...base, [size]: -1 }, 'no sizes');
      refused({ ...base, [size]: 0.5 }, 'no sizes');
    }
    refused({ ...base, fields: 'uscc' }, 'no fields');
    refused({ ...base, syllables: null }, 'no fields');
    refused({ ...base, blocks: 1 }, 'truncated');
    refused({ ...base, count: 1, fields: ['uscc', 'name', 'texts', 'pinyin'] }, 'no v');
    refused({ ...base, count: 1, fields: ['name', 'texts', 'pinyin', 'v'] }, 'no uscc');
    refused({ ...base, count: 1, fields: ['uscc', 'name', 'pinyin', 'v'] }, 'no texts');
    refused({ ...base, count: 1, fields: ['uscc', 'name', 'texts', 'v'] }, 'no pinyin');
    expect(() => new BytesPack(new TextEncoder().encode('\u0003\u0000\u0000\u0000{x}'), PLAIN)).toThrow(
      new SnapshotFormatError('header not JSON'),
    );
    refused({ ...base, format: 2 }, 'format 2');
    refused({ ...base, codec: 'deflate' }, 'codec deflate');
  });

  it('refuses a row whose values do not fit the fields', () => {
    const good = encodePack(new PackBuilder().build(rows.slice(0, 1)), 1, at, PLAIN);
    const ragged = encodePack(new PackBuilder().build(rows.slice(0, 1)), 1, at, {
      name: 'plain',
      pack: () => new TextEncoder().encode('[[1]]'),
      unpack: (b) => b,
    });
    expect(new BytesPack(good, PLAIN).row(0).uscc).toBe('U000');
    expect(() => new BytesPack(ragged, PLAIN).row(0)).toThrow(new SnapshotFormatError('ragged row'));
  });
});
