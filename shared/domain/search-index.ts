import { NearIndex } from './near-index.ts';
import { licensedFor, type Procedure } from './procedures.ts';
import type { RegisterRow } from './register-row.ts';
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
} as const;

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
  row: RegisterRow;
  nameLength: number;
  texts: Text[];
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

function entryOf(row: RegisterRow): Entry {
  return {
    row,
    nameLength: Array.from(row.name).length,
    texts: row.texts.map((text, i) => textOf(text, row.pinyin[i] ?? '')),
  };
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

/** Tier and start of the match of `q` in one text, packed as tier * 4096 + start, or -1. */
function matchText(q: Prepared, t: Text): number {
  const query = q.text;
  if (t.whole === query || (q.latinOnly && (t.full === query || t.initials === query)))
    return TIER.exact * 4096;
  if (!q.hasLatin) {
    const at = t.whole.indexOf(query);
    if (at < 0) return -1;
    const start = t.bmp ? at : Array.from(t.whole.slice(0, at)).length;
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

export function passes(row: RegisterRow, f: SearchFilter): boolean {
  if (f.district && row.district !== f.district) return false;
  if (f.kind && row.kind !== f.kind) return false;
  if (f.grade && (row.grade ?? 'UNGRADED') !== f.grade) return false;
  if (f.procedure && !licensedFor(row, f.procedure)) return false;
  return true;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Key of the last hit shown when more matches follow, else null. */
  next: RankKey | null;
  /** Institutions whose texts were compared, for the benchmark. */
  examined: number;
}

/** Posting lists longer than this share of the register are walked in rank order instead of in full. */
const WALK_IN_ORDER_SHARE = 0.125;

/**
 * The register in memory: rows by uscc, a posting list per Chinese character, the exact spellings
 * (names, aliases, their full pinyin and initials) and the rows in tie-break order.
 */
export class SearchIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly exact = new Map<string, Set<string>>();
  private ordered: Entry[] = [];
  private orderStale = false;
  /** Per character, per position in a name or alias: the rows with it there, in tie-break order. */
  private byPosition = new Map<string, Entry[][]>();
  /** The placed rows on a grid, for near-me queries (near-index.ts). */
  readonly near = new NearIndex();

  constructor(rows: Iterable<RegisterRow> = []) {
    for (const row of rows) this.upsert(row);
  }

  get size(): number {
    return this.entries.size;
  }

  get(uscc: string): RegisterRow | undefined {
    return this.entries.get(uscc)?.row;
  }

  rows(): IterableIterator<RegisterRow> {
    const it = this.entries.values();
    return (function* () {
      for (const e of it) yield e.row;
    })();
  }

  /** Adds or replaces a row; a row made from an older profile than the one held is ignored. */
  upsert(row: RegisterRow): void {
    const held = this.entries.get(row.uscc);
    if (held && held.row.v > row.v) return;
    if (held) this.unpost(held);
    const entry = entryOf(row);
    this.entries.set(row.uscc, entry);
    this.near.upsert(row);
    for (const ch of hanChars(entry)) addTo(this.postings, ch, row.uscc);
    for (const s of spellings(entry)) addTo(this.exact, s, row.uscc);
    this.orderStale = true;
  }

  private unpost(entry: Entry) {
    for (const ch of hanChars(entry)) this.postings.get(ch)?.delete(entry.row.uscc);
    for (const s of spellings(entry)) this.exact.get(s)?.delete(entry.row.uscc);
  }

  private inOrder(): Entry[] {
    if (this.orderStale) {
      this.ordered = [...this.entries.values()].sort(compareTails);
      this.byPosition = new Map();
      for (const entry of this.ordered) {
        for (const t of entry.texts) {
          t.chars.forEach((c, p) => {
            let lists = this.byPosition.get(c);
            if (!lists) {
              lists = [];
              this.byPosition.set(c, lists);
            }
            const list = lists[p] ?? [];
            lists[p] = list;
            if (list[list.length - 1] !== entry) list.push(entry);
          });
        }
      }
      this.orderStale = false;
    }
    return this.ordered;
  }

  /**
   * The walk for a query without Latin letters: every match at character `s` has the query's first
   * character at `s`, so walking the rows with it at position 0, 1, 2 … in tie-break order meets every
   * row whose best match starts at `s` before any row whose best match starts later (a row met again
   * at a later position is skipped). `settled(lowest, entry)` says whether the page can no longer
   * change: `lowest` is the best key a row first met at this position can have.
   */
  private walkByPosition(
    first: string,
    consider: (entry: Entry) => void,
    settled: (lowest: number, entry: Entry | null) => boolean,
  ): void {
    this.inOrder();
    const lists = this.byPosition.get(first) ?? [];
    const seen = new Set<Entry>();
    for (let s = 0; s < lists.length; s++) {
      const lowest = s === 0 ? TIER.prefix * 4096 : TIER.inner * 4096 + s;
      for (const entry of lists[s] ?? []) {
        if (seen.has(entry)) continue;
        seen.add(entry);
        consider(entry);
        if (settled(lowest, entry)) return;
      }
      if (settled(lowest, null)) return;
    }
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
      examined++;
      if (!passes(entry.row, args.filter)) return true;
      const m = matchEntry(query, entry);
      if (m > 0) take(m, entry);
      // Walking in tie-break order, once the page is full of exact or prefix matches nothing later beats it.
      return !(best.length > limit && (best[limit] as { m: number }).m <= TIER.prefix * 4096);
    };
    if (args.uscc) {
      const entry = this.entries.get(args.uscc);
      examined++;
      if (entry && passes(entry.row, args.filter)) take(TIER.exact * 4096 - 1, entry);
    } else if (query.text.length > 0) {
      for (const uscc of this.exact.get(query.text) ?? []) {
        const entry = this.entries.get(uscc);
        examined++;
        if (entry && passes(entry.row, args.filter) && matchEntry(query, entry) === 0) {
          take(TIER.exact * 4096, entry);
        }
      }
      const candidates = this.candidates(query);
      const broad = candidates === 'all' || candidates.size > this.entries.size * WALK_IN_ORDER_SHARE;
      if (broad && !query.hasLatin) {
        // Rows first met later start later; rows met at this position later in it have a later tail.
        this.walkByPosition(query.chars[0] as string, consider, (lowest, entry) => {
          const worst = best[limit];
          if (!worst) return false;
          if (worst.m < lowest) return true;
          return worst.m === lowest && (entry === null || compareTails(entry, worst.entry) >= 0);
        });
      } else if (broad) {
        for (const entry of this.inOrder()) {
          if (candidates !== 'all' && !candidates.has(entry.row.uscc)) continue;
          if (!consider(entry)) break;
        }
      } else {
        for (const uscc of candidates) {
          const entry = this.entries.get(uscc);
          if (entry) consider(entry);
        }
      }
    }
    const hits: SearchHit[] = best
      .slice(0, limit)
      .map(({ m, entry }) => ({ row: entry.row, key: keyOf(m, entry) }));
    const more = best.length > limit;
    return {
      hits,
      next: more ? ((hits[hits.length - 1] as SearchHit).key ?? null) : null,
      examined,
    } satisfies SearchPage;
  }

  /** Every match contains each of its Chinese characters: the rarest one's list holds them all. */
  private candidates(query: Prepared): Set<string> | 'all' {
    const han = Array.from(new Set(query.chars.filter((c) => HAN.test(c))));
    if (han.length === 0) return 'all';
    let rarest: Set<string> | undefined;
    for (const c of han) {
      const list = this.postings.get(c);
      if (!list || list.size === 0) return new Set();
      if (!rarest || list.size < rarest.size) rarest = list;
    }
    return rarest ?? new Set();
  }
}

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

function addTo(map: Map<string, Set<string>>, key: string, uscc: string) {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(uscc);
}

function hanChars(entry: Entry): Set<string> {
  const set = new Set<string>();
  for (const t of entry.texts) for (const c of t.chars) if (HAN.test(c)) set.add(c);
  return set;
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
