import type { RegisterRow } from './register-row.ts';

/**
 * The storage under the search index: the rows in tie-break order (a row's ordinal is its place in
 * that order) and, per key (a gram, a spelling, a uscc), the ordinals holding it at each position. Held
 * either as built (`MemoryPack`) or as bytes read lazily (`BytesPack`): a key's lists are decoded the
 * first time a search asks for them and a row when a search meets it, so a cold instance answers its
 * first query after reading a header, not after decoding the register. docs/search.md "The register
 * snapshot".
 */

/** Compresses the row blocks of a packed register (the snapshot uses deflate; in memory, none). */
export interface BlockCodec {
  readonly name: string;
  pack(bytes: Uint8Array): Uint8Array;
  unpack(bytes: Uint8Array): Uint8Array;
}

export const PLAIN: BlockCodec = { name: 'plain', pack: (b) => b, unpack: (b) => b };

/** What a search reads: the rows by ordinal and the posting lists by key hash. */
export interface Pack {
  readonly count: number;
  /** Every syllable spelt in the texts held: a Latin query's walk depends on them. */
  readonly syllables: readonly string[];
  /** Per position, the ordinals holding the key there, ascending; none when no row holds it. */
  lists(hash: number): readonly (Uint32Array | undefined)[];
  /** How many ordinals the lists hold in all, without decoding them. */
  size(hash: number): number;
  row(ordinal: number): RegisterRow;
}

/** FNV-1a over UTF-16 units. Keys sharing a hash share a list: every list is checked against the row. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A pack as built: the rows in order and each key's lists. */
export class MemoryPack implements Pack {
  constructor(
    readonly rows: readonly RegisterRow[],
    readonly postings: ReadonlyMap<number, readonly (Uint32Array | undefined)[]>,
    readonly syllables: readonly string[],
  ) {}

  get count() {
    return this.rows.length;
  }

  lists(hash: number) {
    return this.postings.get(hash) ?? [];
  }

  size(hash: number): number {
    return this.lists(hash).reduce((n, list) => n + (list?.length ?? 0), 0);
  }

  row(ordinal: number): RegisterRow {
    return this.rows[ordinal] as RegisterRow;
  }
}

/** Collects, row by row in ordinal order, the positions of each key. */
export class PackBuilder {
  private readonly postings = new Map<number, number[][]>();
  private readonly syllables = new Set<string>();
  private ordinal = -1;

  /** Starts the next row (ordinals are given in order, so every list comes out ascending). */
  next(): void {
    this.ordinal++;
  }

  post(key: string, position: number): void {
    const hash = hashKey(key);
    let lists = this.postings.get(hash);
    if (!lists) {
      lists = [];
      this.postings.set(hash, lists);
    }
    let list = lists[position];
    if (!list) {
      list = [];
      lists[position] = list;
    }
    if (list[list.length - 1] !== this.ordinal) list.push(this.ordinal);
  }

  syllable(s: string): void {
    this.syllables.add(s);
  }

  build(rows: readonly RegisterRow[]): MemoryPack {
    const postings = new Map<number, (Uint32Array | undefined)[]>();
    for (const [hash, lists] of this.postings) {
      const out: (Uint32Array | undefined)[] = [];
      for (let p = 0; p < lists.length; p++)
        out[p] = lists[p] ? Uint32Array.from(lists[p] as number[]) : undefined;
      postings.set(hash, out);
    }
    return new MemoryPack(rows, postings, [...this.syllables].sort());
  }
}

/**
 * Bumped whenever the layout or the keys a search walks change: a reader never trusts bytes in a
 * format it does not know, nor a pack missing keys its searches rely on (3: `f` grams).
 */
export const PACK_FORMAT = 3;
const ROWS_PER_BLOCK = 32;

interface Header {
  format: number;
  /** The register version every row is at least as new as. */
  v: number;
  /** When it was taken (ISO), for operators. */
  at: string;
  codec: string;
  count: number;
  fields: string[];
  syllables: string[];
  keys: number;
  payloadBytes: number;
  blocks: number;
}

/** Why bytes were not used as a packed register. */
export class SnapshotFormatError extends Error {}

/** Grows as it is written: varints and little-endian words. */
class Writer {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  private room(n: number) {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  varint(n: number) {
    this.room(5);
    while (n >= 0x80) {
      this.bytes[this.length++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.bytes[this.length++] = n;
  }

  u32(n: number) {
    this.room(4);
    new DataView(this.bytes.buffer).setUint32(this.length, n, true);
    this.length += 4;
  }

  raw(b: Uint8Array) {
    this.room(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  align() {
    while (this.length % 4) this.raw(new Uint8Array(1));
  }

  done() {
    return this.bytes.slice(0, this.length);
  }
}

/**
 * The bytes of `pack` at register version `v`: a header (JSON), a table of key hashes with the offset
 * of their lists (varints: how many ordinals in all, how many positions, then per position the count
 * and the deltas), then the rows in blocks of 32 (a JSON array of value arrays, the
 * field names once in the header), each block compressed alone so a row is read without the others.
 */
export function encodePack(pack: MemoryPack, v: number, at: Date, codec: BlockCodec): Uint8Array {
  const payload = new Writer();
  const hashes = [...pack.postings.keys()].sort((a, b) => a - b);
  const offsets: number[] = [];
  for (const hash of hashes) {
    offsets.push(payload.length);
    const lists = pack.postings.get(hash) ?? [];
    payload.varint(pack.size(hash));
    payload.varint(lists.length);
    for (const list of lists) {
      payload.varint(list?.length ?? 0);
      let last = 0;
      for (const ordinal of list ?? []) {
        payload.varint(ordinal - last);
        last = ordinal;
      }
    }
  }
  const fields = [...new Set(pack.rows.flatMap((r) => Object.keys(r)))].sort();
  const text = new TextEncoder();
  const blocks: Uint8Array[] = [];
  for (let start = 0; start < pack.rows.length; start += ROWS_PER_BLOCK) {
    const values = pack.rows
      .slice(start, start + ROWS_PER_BLOCK)
      .map((r) => fields.map((f) => (r as unknown as Record<string, unknown>)[f] ?? null));
    blocks.push(codec.pack(text.encode(JSON.stringify(values))));
  }
  const header: Header = {
    format: PACK_FORMAT,
    v,
    at: at.toISOString(),
    codec: codec.name,
    count: pack.rows.length,
    fields,
    syllables: [...pack.syllables],
    keys: hashes.length,
    payloadBytes: payload.length,
    blocks: blocks.length,
  };
  const out = new Writer();
  const head = text.encode(JSON.stringify(header));
  out.u32(head.length);
  out.raw(head);
  out.align();
  hashes.forEach((hash, i) => {
    out.u32(hash);
    out.u32(offsets[i] as number);
  });
  out.raw(payload.done());
  out.align();
  let at4 = 0;
  for (const block of blocks) {
    out.u32(at4);
    at4 += block.length;
  }
  out.u32(at4);
  for (const block of blocks) out.raw(block);
  return out.done();
}

/** A packed register read from its bytes, each part decoded when first needed. */
export class BytesPack implements Pack {
  readonly v: number;
  readonly count: number;
  readonly syllables: readonly string[];
  private readonly view: DataView;
  private readonly fields: string[];
  private readonly keys: number;
  private readonly tableAt: number;
  private readonly payloadAt: number;
  private readonly blockIndexAt: number;
  private readonly blocksAt: number;
  private readonly decodedLists = new Map<number, (Uint32Array | undefined)[]>();
  private readonly decodedBlocks: (RegisterRow[] | undefined)[] = [];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly codec: BlockCodec,
  ) {
    if (bytes.byteLength < 4) throw new SnapshotFormatError('too short');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headLength = this.view.getUint32(0, true);
    if (headLength > bytes.byteLength - 4) throw new SnapshotFormatError('no header');
    let header: Partial<Header>;
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headLength))) as Partial<Header>;
    } catch {
      throw new SnapshotFormatError('header not JSON');
    }
    if (header?.format !== PACK_FORMAT) throw new SnapshotFormatError(`format ${String(header?.format)}`);
    if (header.codec !== codec.name) throw new SnapshotFormatError(`codec ${String(header.codec)}`);
    const { v, count, fields, syllables, keys, payloadBytes, blocks } = header;
    const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
    if (!whole(v)) throw new SnapshotFormatError('no version');
    if (!whole(count) || !whole(keys) || !whole(payloadBytes) || !whole(blocks))
      throw new SnapshotFormatError('no sizes');
    if (!Array.isArray(fields) || !Array.isArray(syllables)) throw new SnapshotFormatError('no fields');
    for (const required of ['uscc', 'name', 'texts', 'pinyin', 'v']) {
      if (count > 0 && !fields.includes(required)) throw new SnapshotFormatError(`no ${required}`);
    }
    this.v = v;
    this.count = count;
    this.fields = fields;
    this.syllables = syllables;
    this.keys = keys;
    this.tableAt = align4(4 + headLength);
    this.payloadAt = this.tableAt + keys * 8;
    this.blockIndexAt = align4(this.payloadAt + payloadBytes);
    this.blocksAt = this.blockIndexAt + (blocks + 1) * 4;
    if (blocks !== Math.ceil(count / ROWS_PER_BLOCK) || this.blocksAt > bytes.byteLength)
      throw new SnapshotFormatError('truncated');
    if (this.blocksAt + this.view.getUint32(this.blockIndexAt + blocks * 4, true) !== bytes.byteLength)
      throw new SnapshotFormatError('truncated');
  }

  /** Where the key's lists start in the bytes, or -1. */
  private find(hash: number): number {
    let lo = 0;
    let hi = this.keys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.view.getUint32(this.tableAt + mid * 8, true) < hash) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.keys && this.view.getUint32(this.tableAt + lo * 8, true) === hash) {
      return this.payloadAt + this.view.getUint32(this.tableAt + lo * 8 + 4, true);
    }
    return -1;
  }

  private varint(at: number): [value: number, next: number] {
    let n = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.bytes[at++] as number;
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return [n, at];
  }

  size(hash: number): number {
    const at = this.find(hash);
    return at < 0 ? 0 : this.varint(at)[0];
  }

  lists(hash: number): readonly (Uint32Array | undefined)[] {
    const held = this.decodedLists.get(hash);
    if (held) return held;
    const out: (Uint32Array | undefined)[] = [];
    let at = this.find(hash);
    if (at >= 0) {
      const varint = () => {
        const [n, next] = this.varint(at);
        at = next;
        return n;
      };
      varint(); // the total, for size()
      const positions = varint();
      for (let p = 0; p < positions; p++) {
        const n = varint();
        if (n === 0) continue;
        const list = new Uint32Array(n);
        let last = 0;
        for (let i = 0; i < n; i++) {
          last += varint();
          list[i] = last;
        }
        out[p] = list;
      }
    }
    this.decodedLists.set(hash, out);
    return out;
  }

  row(ordinal: number): RegisterRow {
    const b = Math.floor(ordinal / ROWS_PER_BLOCK);
    let block = this.decodedBlocks[b];
    if (!block) {
      const start = this.view.getUint32(this.blockIndexAt + b * 4, true);
      const end = this.view.getUint32(this.blockIndexAt + (b + 1) * 4, true);
      const text = new TextDecoder().decode(
        this.codec.unpack(this.bytes.subarray(this.blocksAt + start, this.blocksAt + end)),
      );
      const width = this.fields.length;
      block = (JSON.parse(text) as unknown[][]).map((values) => {
        if (!Array.isArray(values) || values.length !== width) throw new SnapshotFormatError('ragged row');
        const row: Record<string, unknown> = {};
        for (let i = 0; i < width; i++) row[this.fields[i] as string] = values[i];
        return row as unknown as RegisterRow;
      });
      this.decodedBlocks[b] = block;
    }
    return block[ordinal % ROWS_PER_BLOCK] as RegisterRow;
  }
}

const align4 = (n: number) => (n + 3) & ~3;
