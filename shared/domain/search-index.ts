import { NearIndex } from './near-index.ts';
import { licensedFor, type Procedure } from './procedures.ts';
import type { RegisterRow } from './register-row.ts';
import { hashKey, type MemoryPack, type Pack, PackBuilder } from './search-pack.ts';
import { normaliseText } from './search-query.ts';
import type { District, Grade, Kind } from './types.ts';

/**
 * The complete search over the whole register, held in memory. A query is matched against every
 * institution (narrowed first by the posting list of its rarest Chinese character), so nothing that
 * matches can be missed, and results come in one total order, so a cursor (the last key shown) makes
 * every match appear exactly once across pages. Institutions are examined in the order that breaks
 * ties within a tier, so a broad query whose page fills with name prefixes stops early. See
 * docs/search.md for the ranking and the figures.
 */

/** Match tiers, best first (docs/search.md "Ranking"). */
export const TIER = {
  /** The query is the whole name or alias (in characters, full pinyin or initials), or the uscc. */
  exact: 0,
  /** The match starts at the first character of the name or an alias. */
  prefix: 1,
  /** The match starts at a later character (Chinese: anywhere; pinyin: at a syllable). */
  inner: 2,
  /** Latin only, ≥ 3 letters: the letters are initials of syllables in order, not adjacent ("xhmr"). */
  initialsInOrder: 3,
  /** The query names the institution's district, in full or without its suffix 区/县/市. */
  district: 4,
  /** The address holds the query (≥ 2 characters, no Latin letters: 延安路, 文三路). */
  address: 5,
} as const;

/** Shortest query matched inside an address: one character would match almost every address. */
export const MIN_PLACE_QUERY = 2;

/** Shortest Latin query matched by initials in order: shorter ones would match almost every name. */
export const MIN_SCATTERED_INITIALS = 3;

/** Position of a match in the total order: compared element by element. */
export type RankKey = [tier: number, start: number, length: number, sortName: string, uscc: string];

export interface SearchFilter {
  district?: District;
  grade?: Grade | 'UNGRADED';
  kind?: Kind;
  /** Only institutions licensed for it (subject and surgery level). */
  procedure?: Procedure;
}

export interface SearchHit {
  row: RegisterRow;
  key: RankKey;
}

/** One text (the name or an alias) analysed once, when the row is held. */
interface Text {
  whole: string;
  chars: string[];
  /** Pinyin of each character (the character itself when it is not Chinese). */
  syllables: string[];
  /** Whether each syllable starts with a Latin letter (can be spelt or abbreviated). */
  spellable: Uint8Array;
  initials: string;
  full: string;
  /** Every character is one UTF-16 unit, so a string index is a character position. */
  bmp: boolean;
}

interface Entry {
  /** Its place in the tie-break order of the pack that holds it. */
  ord: number;
  row: RegisterRow;
  nameLength: number;
  texts: Text[];
  /** The normalised address, matched only after every name (one text, so a list of one). */
  address: Text[];
}

/** A query analysed once per search, not once per institution. */
interface Prepared {
  text: string;
  chars: string[];
  latin: boolean[];
  latinOnly: boolean;
  hasLatin: boolean;
}

const prepare = (text: string): Prepared => {
  const chars = Array.from(text);
  return {
    text,
    chars,
    latin: chars.map((c) => LATIN.test(c)),
    latinOnly: /^[a-z]+$/.test(text),
    hasLatin: /[a-z]/.test(text),
  };
};

const LATIN = /^[a-z]$/;
const HAN = /\p{Script=Han}/u;

/** Normalises a query as the index does (NFKC, lower case, no spaces; ü spelt v in Latin queries). */
export function normaliseQuery(raw: string): string {
  const needle = normaliseText(raw);
  return /^[a-zü]+$/.test(needle) ? needle.replace(/ü/g, 'v') : needle;
}

export function compareKeys(a: RankKey, b: RankKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** The order within a tier and start: shorter names, then pinyin order, then uscc. */
function compareTails(a: Entry, b: Entry): number {
  return (
    a.nameLength - b.nameLength ||
    (a.row.sortName < b.row.sortName ? -1 : a.row.sortName > b.row.sortName ? 1 : 0) ||
    (a.row.uscc < b.row.uscc ? -1 : a.row.uscc > b.row.uscc ? 1 : 0)
  );
}

function textOf(whole: string, pinyin: string): Text {
  const chars = Array.from(whole);
  let syllables = pinyin.split(' ');
  if (syllables.length !== chars.length) syllables = chars;
  const spellable = Uint8Array.from(syllables, (p) => (/^[a-z]/.test(p) ? 1 : 0));
  const initials = syllables.map((p, n) => (spellable[n] ? p[0] : chars[n])).join('');
  return {
    whole,
    chars,
    syllables,
    spellable,
    initials,
    full: syllables.join(''),
    bmp: whole.length === chars.length,
  };
}

function entryOf(row: RegisterRow, ord = -1): Entry {
  const address = normaliseText(row.address ?? '');
  return {
    ord,
    row,
    nameLength: Array.from(row.name).length,
    texts: row.texts.map((text, i) => textOf(text, row.pinyin[i] ?? '')),
    address: address ? [textOf(address, '')] : [],
  };
}

/** A district's names a query may use: the whole name, and without 区/县/市. */
export function districtSpellings(district: string | null | undefined): string[] {
  const whole = normaliseText(district ?? '');
  if (!whole) return [];
  const short = whole.replace(/[区县市]$/u, '');
  return short !== whole && Array.from(short).length >= MIN_PLACE_QUERY ? [whole, short] : [whole];
}

/**
 * Whether `q` from `qi` on matches the text from character `j` on, syllable-aligned: each query
 * character is the text's character, or Latin letters spell a syllable in full, by its initial, or (at
 * the very end) by its beginning. `failed` remembers states already refuted (a stamp per search), so
 * the walk is linear in the states whatever the text.
 */
function matchesFrom(q: Prepared, qi: number, t: Text, j: number, failed: Stamps): boolean {
  const Q = q.chars.length;
  if (qi === Q) return true;
  const S = t.chars.length;
  if (j === S) return false;
  const cell = qi * (S + 1) + j;
  if (failed.has(cell)) return false;
  const x = q.chars[qi] as string;
  if (x === t.chars[j] && matchesFrom(q, qi + 1, t, j + 1, failed)) return true;
  if (q.latin[qi] && t.spellable[j] === 1) {
    const p = t.syllables[j] as string;
    if (p[0] === x && matchesFrom(q, qi + 1, t, j + 1, failed)) return true;
    if (p.length > 1) {
      let n = 0;
      while (n < p.length && qi + n < Q && q.chars[qi + n] === p[n]) n++;
      if (n === p.length) {
        if (matchesFrom(q, qi + n, t, j + 1, failed)) return true;
      } else if (qi + n === Q) {
        return true; // the query ends inside this syllable
      }
    }
  }
  failed.add(cell);
  return false;
}

/** A set of small integers cleared in O(1): a generation stamp per cell, the buffer reused. */
class Stamps {
  private stamp = new Uint32Array(256);
  private generation = 1;

  reset(size: number) {
    if (size > this.stamp.length) this.stamp = new Uint32Array(Math.max(size, this.stamp.length * 2));
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  has(i: number) {
    return this.stamp[i] === this.generation;
  }

  add(i: number) {
    this.stamp[i] = this.generation;
  }
}

const FAILED = new Stamps();

/** The first character where `q` matches `t` syllable-aligned, or -1. */
function alignedStart(q: Prepared, t: Text): number {
  const first = q.chars[0] as string;
  FAILED.reset((q.chars.length + 1) * (t.chars.length + 1));
  for (let j = 0; j < t.chars.length; j++) {
    const opens =
      t.chars[j] === first || (q.latin[0] && t.spellable[j] === 1 && t.syllables[j]?.[0] === first);
    if (opens && matchesFrom(q, 0, t, j, FAILED)) return j;
  }
  return -1;
}

/** Whether `needle` is a subsequence of `hay`: necessary for any Latin match, and cheap. */
function subsequence(needle: string, hay: string): boolean {
  let at = 0;
  for (let i = 0; i < needle.length; i++) {
    at = hay.indexOf(needle[i] as string, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** Whether the letters are initials of the syllables in this order, not necessarily adjacent. */
function initialsInOrder(query: string, initials: string): number {
  let at = -1;
  let first = -1;
  for (const letter of query) {
    at = initials.indexOf(letter, at + 1);
    if (at < 0) return -1;
    if (first < 0) first = at;
  }
  return first;
}

/** The character position where `query` first stands in the text, or -1. */
function characterIndex(t: Text, query: string): number {
  const at = t.whole.indexOf(query);
  return at <= 0 || t.bmp ? at : Array.from(t.whole.slice(0, at)).length;
}

/** Tier and start of the match of `q` in one text, packed as tier * 4096 + start, or -1. */
function matchText(q: Prepared, t: Text): number {
  const query = q.text;
  if (t.whole === query || (q.latinOnly && (t.full === query || t.initials === query)))
    return TIER.exact * 4096;
  if (!q.hasLatin) {
    const start = characterIndex(t, query);
    if (start < 0) return -1;
    return (start === 0 ? TIER.prefix : TIER.inner) * 4096 + start;
  }
  if (q.latinOnly) {
    // A prefix of the full pinyin or of the initials is a match from the first character.
    if (t.full.startsWith(query) || t.initials.startsWith(query)) return TIER.prefix * 4096;
    if (!subsequence(query, t.full)) return -1;
  } else if (!t.initials.includes(q.chars[0] as string) && !t.whole.includes(q.chars[0] as string)) {
    return -1;
  }
  const start = alignedStart(q, t);
  if (start === 0) return TIER.prefix * 4096;
  if (start > 0) return TIER.inner * 4096 + start;
  if (q.latinOnly && q.chars.length >= MIN_SCATTERED_INITIALS) {
    const s = initialsInOrder(query, t.initials);
    if (s >= 0) return TIER.initialsInOrder * 4096 + s;
  }
  return -1;
}

/** The best tier and start over the name and aliases, packed as in matchText, or -1. */
function matchEntry(q: Prepared, entry: Entry): number {
  let best = -1;
  for (const t of entry.texts) {
    const m = matchText(q, t);
    if (m >= 0 && (best < 0 || m < best)) best = m;
    if (best === 0) break;
  }
  return best;
}

/**
 * Where `row` ranks for `rawQuery` by the definition of a match alone, or null: what comparing the query
 * with every row of the register would find. The index's walks over its grams find exactly these.
 */
export function rankOf(rawQuery: string, row: RegisterRow): RankKey | null {
  const q = prepare(normaliseQuery(rawQuery));
  if (q.text.length === 0) return null;
  const entry = entryOf(row);
  let m = matchEntry(q, entry);
  if (m < 0 && !q.hasLatin && q.chars.length >= MIN_PLACE_QUERY) {
    const at = entry.address[0] ? characterIndex(entry.address[0], q.text) : -1;
    if (districtSpellings(row.district).includes(q.text)) m = TIER.district * 4096;
    else if (at >= 0) m = TIER.address * 4096 + at;
  }
  return m < 0 ? null : keyOf(m, entry);
}

export function passes(row: RegisterRow, f: SearchFilter): boolean {
  if (f.district && row.district !== f.district) return false;
  if (f.kind && row.kind !== f.kind) return false;
  if (f.grade && (row.grade ?? 'UNGRADED') !== f.grade) return false;
  if (f.procedure && !licensedFor(row, f.procedure)) return false;
  return true;
}

/** Packs `rows` (the newest of each uscc) in tie-break order, with every key a search walks. */
export function packRows(rows: Iterable<RegisterRow>): MemoryPack {
  const newest = new Map<string, RegisterRow>();
  for (const row of rows) {
    const held = newest.get(row.uscc);
    if (!held || held.v <= row.v) newest.set(row.uscc, row);
  }
  const entries = [...newest.values()].map((row) => entryOf(row)).sort(compareTails);
  const builder = new PackBuilder();
  for (const entry of entries) {
    builder.next();
    builder.post(`u${entry.row.uscc}`, 0);
    for (const s of spellings(entry)) builder.post(`x${s}`, 0);
    for (const t of entry.texts) {
      const n = t.chars.length;
      for (let p = 0; p < n; p++) {
        const c = t.chars[p] as string;
        builder.post(`c${c}`, p);
        if (p + 1 < n) builder.post(`b${c}${t.chars[p + 1]}`, p);
        if (t.spellable[p] === 1) {
          const initial = t.initials[p] as string;
          builder.post(`i${initial}`, p);
          const syllable = t.syllables[p] as string;
          if (syllable.length > 1) builder.post(`f${syllable}`, p);
          if (p + 1 < n && t.spellable[p + 1] === 1) {
            const second = `${initial}${t.initials[p + 1]}`;
            builder.post(`j${second}`, p);
            if (p + 2 < n && t.spellable[p + 2] === 1) builder.post(`k${second}${t.initials[p + 2]}`, p);
          }
          builder.syllable(syllable);
        }
      }
      postOrderedInitials(builder, t);
    }
    for (const spelling of districtSpellings(entry.row.district)) builder.post(`d${spelling}`, 0);
    for (const t of entry.address) {
      for (let p = 0; p + 1 < t.chars.length; p++) builder.post(`a${t.chars[p]}${t.chars[p + 1]}`, p);
    }
  }
  return builder.build(entries.map((e) => e.row));
}

/**
 * For scattered initials (tier 3): at the first position of each initial letter, the letters whose
 * initials follow it anywhere later (`o` + the two letters), so a query's walk meets only rows whose
 * initials hold its first letter and a later one in order.
 */
function postOrderedInitials(builder: PackBuilder, t: Text): void {
  const n = t.chars.length;
  const seen = new Set<string>();
  for (let p = 0; p < n; p++) {
    if (t.spellable[p] !== 1) continue;
    const x = t.initials[p] as string;
    if (seen.has(x)) continue;
    seen.add(x);
    const later = new Set<string>();
    for (let r = p + 1; r < n; r++) if (t.spellable[r] === 1) later.add(t.initials[r] as string);
    for (const y of later) builder.post(`o${x}${y}`, p);
  }
}

/** The state a gram walk shares with the search that started it. */
interface GramWalk {
  filter: SearchFilter;
  /** Rows (ordinals of this part) already on the page or known to rank better: never taken again. */
  taken: Set<number>;
  take: (m: number, entry: Entry) => void;
  /** Whether the page holds `limit + 1` matches, and the last of them. */
  full: () => boolean;
  worst: () => { m: number; entry: Entry };
  examined: number;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Key of the last hit shown when more matches follow, else null. */
  next: RankKey | null;
  /** Institutions whose texts were compared, for the benchmark. */
  examined: number;
}

/** A syllable a Latin query spells: an initial alone, a whole syllable, or the beginning of the last. */
interface Segment {
  letters: string;
  /** A whole syllable of two letters or more with letters after it: the text's syllable there. */
  whole: boolean;
}

/** Syllables of a Latin query checked in place; the letters after them are left to the match. */
const MAX_SEGMENTS = 6;
/** Ways to spell a query followed that far at most; beyond, only its first three syllables are split. */
const MAX_WAYS = 128;

/** Posting lists longer than this share of the register are walked in rank order instead of in full. */
const WALK_IN_ORDER_SHARE = 0.125;

type Lists = readonly (Uint32Array | undefined)[];

/** A gram the row must hold `at` characters after the match's start. */
interface Check {
  lists: Lists;
  at: number;
}

/**
 * The rows a walk meets: those in `lists` (by position) that hold every gram of one of the `also`
 * alternatives in place. A match holds each of the query's grams where the query puts them, so a row
 * lacking them is passed over without being read.
 */
interface Gram {
  lists: Lists;
  also: ReadonlyArray<readonly Check[]>;
}

const gram = (lists: Lists, also: Gram['also'] = [[]]): Gram => ({ lists, also });

/** Whether the ascending `list` holds `ord`. */
function holds(list: Uint32Array | undefined, ord: number): boolean {
  if (!list) return false;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < ord) lo = mid + 1;
    else hi = mid;
  }
  return list[lo] === ord;
}

/**
 * One pack searched: its rows analysed as a search meets them, the walks over its posting lists, and
 * the ordinals another part holds newer rows of (`dead`), which it skips.
 */
class Part {
  private readonly entries: (Entry | undefined)[] = [];
  readonly dead = new Set<number>();
  private readonly syllables: ReadonlySet<string>;
  private readonly syllablePrefixes = new Set<string>();
  private readonly longestSyllable: number;

  constructor(readonly pack: Pack) {
    this.syllables = new Set(pack.syllables);
    let longest = 0;
    for (const syllable of this.syllables) {
      longest = Math.max(longest, syllable.length);
      for (let k = 1; k <= syllable.length; k++) this.syllablePrefixes.add(syllable.slice(0, k));
    }
    this.longestSyllable = longest;
  }

  entry(ord: number): Entry {
    let entry = this.entries[ord];
    if (!entry) {
      entry = entryOf(this.pack.row(ord), ord);
      this.entries[ord] = entry;
    }
    return entry;
  }

  lists(key: string): Lists {
    return this.pack.lists(hashKey(key));
  }

  size(key: string): number {
    return this.pack.size(hashKey(key));
  }

  /** The live ordinals whose key `key` at position 0 is confirmed by `holds`. */
  find(key: string, holds: (entry: Entry) => boolean): Entry[] {
    const out: Entry[] = [];
    for (const ord of this.lists(key)[0] ?? []) {
      if (this.dead.has(ord)) continue;
      const entry = this.entry(ord);
      if (holds(entry)) out.push(entry);
    }
    return out;
  }

  /**
   * Walks the grams' lists (ordinals by position, in tie-break order) from position 0 on, meeting only
   * the rows their `also` lists hold in place. `matchAt(entry, s)` gives the packed match the row has when met at `s` (its best, no better than `lowest(s)`), or
   * -1; a row is taken at most once. At one position every list is in tie-break order, so a list stops
   * as soon as the page is full of matches no later than this position and the row met ties or trails
   * the page's last; the walk stops at the first position whose lowest key trails the page's last.
   */
  walkGrams(
    grams: ReadonlyArray<Gram>,
    lowest: (s: number) => number,
    matchAt: (entry: Entry, s: number) => number,
    walk: GramWalk,
    /** The first meeting decides: a row that does not match there matches nowhere later. */
    once = false,
    /** The gram's place in the query: a row with it at `p` matches from `p - offset`. */
    offset = 0,
  ): void {
    const positions = grams.reduce((n, g) => Math.max(n, g.lists.length), 0) - offset;
    for (let s = 0; s < positions; s++) {
      const low = lowest(s);
      if (walk.full() && walk.worst().m < low) return;
      for (const { lists, also } of grams) {
        const list = lists[s + offset];
        if (!list) continue;
        for (let i = 0; i < list.length; i++) {
          const ord = list[i] as number;
          if (walk.taken.has(ord) || this.dead.has(ord)) continue;
          if (!also.some((checks) => checks.every((c) => holds(c.lists[s + c.at], ord)))) continue;
          const entry = this.entry(ord);
          if (walk.full()) {
            const worst = walk.worst();
            if (worst.m < low || (worst.m === low && compareTails(entry, worst.entry) >= 0)) break;
          }
          walk.examined++;
          if (once) walk.taken.add(ord);
          if (!passes(entry.row, walk.filter)) continue;
          const m = matchAt(entry, s);
          if (m < 0) continue;
          walk.taken.add(ord);
          walk.take(m, entry);
        }
      }
    }
  }

  /**
   * How many letters of `text` from `at` one syllable can take, leaving some for the next: its initial
   * alone, or a whole syllable the letters there start with.
   */
  private spans(text: string, at: number): Set<number> {
    const out = new Set<number>();
    if (at + 1 < text.length && this.syllablePrefixes.has(text[at] as string)) out.add(1);
    for (let k = 2; at + k < text.length && k <= this.longestSyllable; k++) {
      if (this.syllables.has(text.slice(at, at + k))) out.add(k);
    }
    return out;
  }

  /**
   * The ways Latin letters spell syllables, one after another: each an initial alone or a whole
   * syllable with letters after it, the last the beginning of a syllable. Only the first `depth` are
   * followed; a way cut there ends in letters left unsplit (`rest`).
   */
  private segmentations(text: string, depth: number): Array<{ segments: Segment[]; rest: boolean }> {
    const out: Array<{ segments: Segment[]; rest: boolean }> = [];
    const spans = new Map<number, Set<number>>();
    const follow = (at: number, segments: Segment[]) => {
      if (segments.length === depth) {
        out.push({ segments, rest: true });
        return;
      }
      const left = text.slice(at);
      if (this.syllablePrefixes.has(left))
        out.push({ segments: [...segments, { letters: left, whole: false }], rest: false });
      let from = spans.get(at);
      if (!from) {
        from = this.spans(text, at);
        spans.set(at, from);
      }
      for (const k of from) follow(at + k, [...segments, { letters: text.slice(at, at + k), whole: k > 1 }]);
    };
    follow(0, []);
    return out;
  }

  /** The checks of `keys`, the rarest first, so a row lacking one is refuted soonest. */
  private rarestFirst(
    keys: ReadonlyArray<{ key: string; at: number }>,
    /** Sizes and lists already looked up by this search. */
    seen = new Map<string, { size: number; lists: Lists }>(),
  ): Check[] {
    const held = (key: string) => {
      let found = seen.get(key);
      if (!found) {
        found = { size: this.size(key), lists: this.lists(key) };
        seen.set(key, found);
      }
      return found;
    };
    return keys
      .map(({ key, at }) => {
        const { size, lists } = held(key);
        return { size, check: { lists, at } };
      })
      .sort((a, b) => a.size - b.size)
      .map((c) => c.check);
  }

  /** Chinese (or any text without Latin letters): rows with a pair of the query's characters in place. */
  walkChinese(q: Prepared, walk: GramWalk): void {
    this.walkCharacters(q, walk, {
      single: `c${q.chars[0]}`,
      pair: 'b',
      texts: (entry) => entry.texts,
      tier: (s) => (s === 0 ? TIER.prefix : TIER.inner) * 4096 + s,
    });
  }

  /**
   * After every name: the institutions of the district the query names, then those whose address
   * holds it. A row met here that matched by name was taken already, so it keeps its name's rank.
   */
  walkPlaces(q: Prepared, walk: GramWalk): void {
    if (q.chars.length < MIN_PLACE_QUERY) return;
    const district = TIER.district * 4096;
    this.walkGrams(
      [gram(this.lists(`d${q.text}`))],
      () => district,
      (entry) => (districtSpellings(entry.row.district).includes(q.text) ? district : -1),
      walk,
    );
    this.walkCharacters(q, walk, {
      pair: 'a',
      texts: (entry) => entry.address,
      tier: (s) => TIER.address * 4096 + s,
    });
  }

  /**
   * Rows holding the query's characters from a position on, met through the posting lists of its
   * rarest pair of characters (grams `pair` + two characters), or of `single` for one character.
   */
  private walkCharacters(
    q: Prepared,
    walk: GramWalk,
    how: { single?: string; pair: string; texts: (entry: Entry) => Text[]; tier: (s: number) => number },
  ): void {
    const n = q.chars.length;
    // Walked by the query's rarest pair of characters; a row met must hold every other pair in place,
    // so a long query (a whole name) reads only the rows holding all of it.
    const pairs: string[] = [];
    for (let i = 0; i + 1 < n; i++) pairs.push(`${how.pair}${q.chars[i]}${q.chars[i + 1]}`);
    let offset = 0;
    let size = Number.POSITIVE_INFINITY;
    pairs.forEach((pair, i) => {
      const held = this.size(pair);
      if (held < size) {
        size = held;
        offset = i;
      }
    });
    const walked = pairs[offset] ?? how.single;
    const lists = walked ? this.lists(walked) : [];
    const also = this.rarestFirst(pairs.flatMap((pair, i) => (i === offset ? [] : [{ key: pair, at: i }])));
    const at = (t: Text, s: number) => {
      if (t.bmp) return t.whole.startsWith(q.text, s);
      for (let k = 0; k < n; k++) if (t.chars[s + k] !== q.chars[k]) return false;
      return true;
    };
    this.walkGrams(
      [gram(lists, [also])],
      how.tier,
      (entry, s) => (how.texts(entry).some((t) => at(t, s)) ? how.tier(s) : -1),
      walk,
      false,
      offset,
    );
  }

  /**
   * Pinyin and initials: first the rows where the query spells syllables from `s` on (its first letter
   * is the syllable's initial; unless the whole query could lie inside one syllable, the next
   * syllable's initial is the letter after the first, or after a whole syllable the query starts
   * with; a syllable the query spells in full before more letters must be the text's syllable there),
   * then, for three letters or more, rows whose initials hold the letters in order.
   */
  walkLatin(q: Prepared, walk: GramWalk): void {
    const text = q.text;
    const q0 = text[0] as string;
    const grams: Gram[] = [];
    if (this.syllablePrefixes.has(text)) grams.push(gram(this.lists(`i${q0}`)));
    else {
      // Each way the letters spell syllables is walked by the initials of its first two or three (`j`,
      // `k` grams) and checks the rest in place: a whole syllable by its `f` gram, an initial by its `i`
      // gram. Initials alone would let `yiliao` meet every 杨柳 and 杨立 before the first 医疗.
      let ways = this.segmentations(text, MAX_SEGMENTS);
      if (ways.length > MAX_WAYS) ways = this.segmentations(text, 3);
      const byKey = new Map<string, Check[][]>();
      const seen = new Map<string, { size: number; lists: Lists }>();
      for (const { segments, rest } of ways) {
        const walked = segments.length + (rest ? 1 : 0) > 2 ? 3 : 2;
        const key = `${walked === 3 ? 'k' : 'j'}${segments
          .slice(0, walked)
          .map((x) => x.letters[0])
          .join('')}`;
        const checks = segments.flatMap(({ letters, whole }, at) => {
          if (whole) return [{ key: `f${letters}`, at }];
          return at < walked ? [] : [{ key: `i${letters[0]}`, at }];
        });
        byKey.set(key, [...(byKey.get(key) ?? []), this.rarestFirst(checks, seen)]);
      }
      for (const [key, also] of byKey) grams.push(gram(this.lists(key), also));
    }
    const aligned = (s: number) => (s === 0 ? TIER.prefix : TIER.inner) * 4096 + s;
    this.walkGrams(
      grams,
      aligned,
      (entry, s) => {
        for (const t of entry.texts) {
          if (t.spellable[s] !== 1 || t.initials[s] !== q0) continue;
          FAILED.reset((q.chars.length + 1) * (t.chars.length + 1));
          if (matchesFrom(q, 0, t, s, FAILED)) return aligned(s);
        }
        return -1;
      },
      walk,
    );
    if (text.length < MIN_SCATTERED_INITIALS) return;
    // A match starts at the text's first q0 and holds every later letter after it: every match holds
    // each (q0, letter) pair posted there (`o` grams). Walked by the rarest, the others checked in place.
    const pairs = [...new Set(Array.from(text.slice(1), (letter) => `o${q0}${letter}`))];
    let walked = `i${q0}`;
    let size = this.size(walked);
    for (const pair of pairs) {
      const held = this.size(pair);
      if (held < size) {
        size = held;
        walked = pair;
      }
    }
    const also = this.rarestFirst(pairs.filter((pair) => pair !== walked).map((key) => ({ key, at: 0 })));
    this.walkGrams(
      [gram(this.lists(walked), [also])],
      (s) => TIER.initialsInOrder * 4096 + s,
      (entry) => {
        let m = -1;
        for (const t of entry.texts) {
          if (!subsequence(text, t.full)) continue;
          const s = initialsInOrder(text, t.initials);
          if (s >= 0 && (m < 0 || s < m - TIER.initialsInOrder * 4096)) m = TIER.initialsInOrder * 4096 + s;
        }
        return m;
      },
      walk,
      true,
    );
  }

  /**
   * Latin letters with other characters ("xi湖"): every match contains each of its Chinese characters,
   * so the rows holding the rarest one; walked in rank order when they are many, so it can stop early.
   */
  walkMixed(q: Prepared, consider: (entry: Entry) => boolean): number {
    const han = Array.from(new Set(q.chars.filter((c) => HAN.test(c))));
    let rarest: Set<number> | 'all' = 'all';
    for (const c of han) {
      const held = new Set<number>();
      for (const list of this.lists(`c${c}`)) for (const ord of list ?? []) held.add(ord);
      if (rarest === 'all' || held.size < rarest.size) rarest = held;
    }
    let examined = 0;
    const visit = (ord: number) => {
      if (this.dead.has(ord)) return true;
      examined++;
      return consider(this.entry(ord));
    };
    if (rarest === 'all' || rarest.size > this.pack.count * WALK_IN_ORDER_SHARE) {
      for (let ord = 0; ord < this.pack.count; ord++) {
        if (rarest !== 'all' && !rarest.has(ord)) continue;
        if (!visit(ord)) break;
      }
    } else {
      for (const ord of rarest) visit(ord);
    }
    return examined;
  }
}

/** Changed rows held apart from the packed register before it is packed again with them. */
const REPACK_AFTER = 1024;

/**
 * The register in memory: a packed register (built here from rows, or loaded from the snapshot and
 * decoded as searches need it) and the rows changed since, packed apart; a search walks both and
 * merges their pages. Once more than REPACK_AFTER rows changed, everything is packed again.
 */
export class SearchIndex {
  private base: Part;
  private changed = new Map<string, RegisterRow>();
  private overlay: Part | null = null;
  private nearIndex: NearIndex | null = null;

  constructor(rows: Iterable<RegisterRow> | Pack = []) {
    this.base = new Part(isPack(rows) ? rows : packRows(rows));
  }

  get size(): number {
    return this.base.pack.count - this.base.dead.size + this.changed.size;
  }

  get(uscc: string): RegisterRow | undefined {
    return this.changed.get(uscc) ?? this.baseEntry(uscc)?.row;
  }

  private baseEntry(uscc: string): Entry | undefined {
    return this.base.find(`u${uscc}`, (e) => e.row.uscc === uscc)[0];
  }

  rows(): IterableIterator<RegisterRow> {
    const { base, changed } = this;
    return (function* () {
      for (let ord = 0; ord < base.pack.count; ord++) if (!base.dead.has(ord)) yield base.pack.row(ord);
      yield* changed.values();
    })();
  }

  /** The placed rows on a grid, for near-me queries (near-index.ts); built when first asked for. */
  get near(): NearIndex {
    if (!this.nearIndex) {
      this.nearIndex = new NearIndex();
      for (const row of this.rows()) this.nearIndex.upsert(row);
    }
    return this.nearIndex;
  }

  /** Adds or replaces a row; a row made from an older profile than the one held is ignored. */
  upsert(row: RegisterRow): void {
    const held = this.get(row.uscc);
    if (held && held.v > row.v) return;
    const inBase = this.baseEntry(row.uscc);
    if (inBase) this.base.dead.add(inBase.ord);
    this.changed.set(row.uscc, row);
    this.overlay = null;
    this.nearIndex?.upsert(row);
    if (this.changed.size > REPACK_AFTER) {
      this.base = new Part(packRows(this.rows()));
      this.changed = new Map();
    }
  }

  private parts(): Part[] {
    if (this.changed.size === 0) return [this.base];
    this.overlay ??= new Part(packRows(this.changed.values()));
    return [this.base, this.overlay];
  }

  /**
   * One page of the matches of `rawQuery` in rank order, after `after` (the previous page's `next`).
   * An exact uscc is looked up directly.
   */
  search(args: { query: string; uscc?: string; filter: SearchFilter; limit: number; after: RankKey | null }) {
    const query = prepare(normaliseQuery(args.query));
    const { limit, after } = args;
    // The best `limit + 1` matches after the cursor, kept sorted: O(n log limit), never a sort of all
    // matches; a match is compared as (packed tier and start, entry) and becomes a key only once kept.
    // Shared by the parts, so a part's walk stops as soon as nothing it holds can enter the page.
    const best: Array<{ m: number; entry: Entry }> = [];
    const afterM = after ? (after[0] as number) * 4096 + (after[1] as number) : 0;
    let examined = 0;
    const take = (m: number, entry: Entry) => {
      if (after && compareWithKey(m, entry, afterM, after) <= 0) return;
      const worst = best[limit];
      if (worst && (m - worst.m || compareTails(entry, worst.entry)) >= 0) return;
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const b = best[mid] as { m: number; entry: Entry };
        if ((b.m - m || compareTails(b.entry, entry)) < 0) lo = mid + 1;
        else hi = mid;
      }
      best.splice(lo, 0, { m, entry });
      if (best.length > limit + 1) best.pop();
    };
    /** Matches the entry unless it is exact (those come from the spellings); false once the page is settled. */
    const consider = (entry: Entry): boolean => {
      if (!passes(entry.row, args.filter)) return true;
      const m = matchEntry(query, entry);
      if (m > 0) take(m, entry);
      // Walking in tie-break order, once the page is full of exact or prefix matches nothing later beats it.
      return !(best.length > limit && (best[limit] as { m: number }).m <= TIER.prefix * 4096);
    };
    if (args.uscc) {
      const row = this.get(args.uscc);
      examined++;
      if (row && passes(row, args.filter)) take(TIER.exact * 4096 - 1, entryOf(row));
    } else if (query.text.length > 0) {
      for (const part of this.parts()) {
        const exact = part.find(`x${query.text}`, (entry) => {
          examined++;
          return passes(entry.row, args.filter) && matchEntry(query, entry) === 0;
        });
        for (const entry of exact) take(TIER.exact * 4096, entry);
        if (query.hasLatin && !query.latinOnly) {
          examined += part.walkMixed(query, consider);
          continue;
        }
        const walk: GramWalk = {
          filter: args.filter,
          taken: new Set(exact.map((e) => e.ord)),
          take,
          full: () => best.length > limit,
          worst: () => best[limit] as { m: number; entry: Entry },
          examined: 0,
        };
        if (query.latinOnly) part.walkLatin(query, walk);
        else {
          part.walkChinese(query, walk);
          part.walkPlaces(query, walk);
        }
        examined += walk.examined;
      }
    }
    const hits: SearchHit[] = best
      .slice(0, limit)
      .map(({ m, entry }) => ({ row: entry.row, key: keyOf(m, entry) }));
    const more = best.length > limit;
    return { hits, next: more ? ((hits[hits.length - 1] as SearchHit).key ?? null) : null, examined };
  }
}

const isPack = (x: Iterable<RegisterRow> | Pack): x is Pack =>
  typeof (x as Pack).lists === 'function' && typeof (x as Pack).row === 'function';

/** The key of a match packed as tier * 4096 + start (the uscc's own exact match is start -1). */
function keyOf(m: number, entry: Entry): RankKey {
  const tier = Math.floor((m + 1) / 4096);
  return [tier, m - tier * 4096, entry.nameLength, entry.row.sortName, entry.row.uscc];
}

function compareWithKey(m: number, entry: Entry, keyM: number, key: RankKey): number {
  if (m !== keyM) return m - keyM;
  const [, , length, sortName, uscc] = key;
  return (
    entry.nameLength - length ||
    (entry.row.sortName < sortName ? -1 : entry.row.sortName > sortName ? 1 : 0) ||
    (entry.row.uscc < uscc ? -1 : entry.row.uscc > uscc ? 1 : 0)
  );
}

/** What a query equal to it matches exactly: each text, and its full pinyin and initials when Latin. */
function spellings(entry: Entry): Set<string> {
  const set = new Set<string>();
  for (const t of entry.texts) {
    set.add(t.whole);
    if (/^[a-z]+$/.test(t.full)) set.add(t.full);
    if (/^[a-z]+$/.test(t.initials)) set.add(t.initials);
  }
  return set;
}
