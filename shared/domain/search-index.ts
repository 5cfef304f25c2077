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
  /** The query names the institution's district, in full or without its suffix (西湖区, 西湖). */
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

function entryOf(row: RegisterRow): Entry {
  const address = normaliseText(row.address ?? '');
  return {
    row,
    nameLength: Array.from(row.name).length,
    texts: row.texts.map((text, i) => textOf(text, row.pinyin[i] ?? '')),
    address: address ? [textOf(address, '')] : [],
  };
}

/** A district's names a query may use: the whole name, and without 区/县/市 (西湖区, 西湖). */
export function districtSpellings(district: string): string[] {
  const whole = normaliseText(district);
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

/** The state a gram walk shares with the search that started it. */
interface GramWalk {
  filter: SearchFilter;
  /** Rows already on the page or known to rank better: never taken again. */
  taken: Set<Entry>;
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
  /**
   * Per gram, per position in a name or alias: the rows with it there, in tie-break order. Grams are
   * a character (`c`), two adjacent characters (`b`), a syllable's initial letter (`i`) and the initial
   * letters of two adjacent syllables (`j`), so a query's walk meets only rows that can match there.
   */
  private byPosition = new Map<string, Entry[][]>();
  /** The placed rows on a grid, for near-me queries (near-index.ts). */
  readonly near = new NearIndex();
  /** Every syllable held, and every prefix of one: a Latin query that is one can match inside one syllable. */
  private syllables = new Set<string>();
  private syllablePrefixes = new Set<string>();
  private longestSyllable = 0;

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
      this.syllablePrefixes = new Set();
      const post = (gram: string, p: number, entry: Entry) => {
        let lists = this.byPosition.get(gram);
        if (!lists) {
          lists = [];
          this.byPosition.set(gram, lists);
        }
        let list = lists[p];
        if (!list) {
          list = [];
          lists[p] = list;
        }
        if (list[list.length - 1] !== entry) list.push(entry);
      };
      const syllables = new Set<string>();
      for (const entry of this.ordered) {
        for (const t of entry.texts) {
          const n = t.chars.length;
          for (let p = 0; p < n; p++) {
            const c = t.chars[p] as string;
            post(`c${c}`, p, entry);
            if (p + 1 < n) post(`b${c}${t.chars[p + 1]}`, p, entry);
            if (t.spellable[p] === 1) {
              const initial = t.initials[p] as string;
              post(`i${initial}`, p, entry);
              if (p + 1 < n && t.spellable[p + 1] === 1) {
                const second = `${initial}${t.initials[p + 1]}`;
                post(`j${second}`, p, entry);
                if (p + 2 < n && t.spellable[p + 2] === 1) post(`k${second}${t.initials[p + 2]}`, p, entry);
              }
              syllables.add(t.syllables[p] as string);
            }
          }
        }
        for (const spelling of districtSpellings(entry.row.district)) post(`d${spelling}`, 0, entry);
        for (const t of entry.address) {
          for (let p = 0; p + 1 < t.chars.length; p++) post(`a${t.chars[p]}${t.chars[p + 1]}`, p, entry);
        }
      }
      this.syllables = syllables;
      this.longestSyllable = 0;
      for (const syllable of syllables) {
        this.longestSyllable = Math.max(this.longestSyllable, syllable.length);
        for (let k = 1; k <= syllable.length; k++) this.syllablePrefixes.add(syllable.slice(0, k));
      }
      this.orderStale = false;
    }
    return this.ordered;
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
      const exact = new Set<Entry>();
      for (const uscc of this.exact.get(query.text) ?? []) {
        const entry = this.entries.get(uscc);
        examined++;
        if (entry && passes(entry.row, args.filter) && matchEntry(query, entry) === 0) {
          exact.add(entry);
          take(TIER.exact * 4096, entry);
        }
      }
      if (!query.hasLatin || query.latinOnly) {
        const walk: GramWalk = {
          filter: args.filter,
          taken: exact,
          take,
          full: () => best.length > limit,
          worst: () => best[limit] as { m: number; entry: Entry },
          examined: 0,
        };
        if (query.latinOnly) this.walkLatin(query, walk);
        else {
          this.walkChinese(query, walk);
          this.walkPlaces(query, walk);
        }
        examined += walk.examined;
        return this.page(best, limit, examined);
      }
      const candidates = this.candidates(query);
      // Latin letters with other characters ("xi湖"): the rows holding its Chinese characters.
      const broad = candidates === 'all' || candidates.size > this.entries.size * WALK_IN_ORDER_SHARE;
      if (broad) {
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
    return this.page(best, limit, examined);
  }

  private page(best: Array<{ m: number; entry: Entry }>, limit: number, examined: number): SearchPage {
    const hits: SearchHit[] = best
      .slice(0, limit)
      .map(({ m, entry }) => ({ row: entry.row, key: keyOf(m, entry) }));
    const more = best.length > limit;
    return { hits, next: more ? ((hits[hits.length - 1] as SearchHit).key ?? null) : null, examined };
  }

  /**
   * Walks `lists` (rows by position of a gram, in tie-break order) from position 0 on. `matchAt(entry,
   * s)` gives the packed match the row has when met at `s` (its best, no better than `lowest(s)`), or
   * -1; a row is taken at most once. At one position every list is in tie-break order, so a list stops
   * as soon as the page is full of matches no later than this position and the row met ties or trails
   * the page's last; the walk stops at the first position whose lowest key trails the page's last.
   */
  private walkGrams(
    lists: ReadonlyArray<ReadonlyArray<Entry[] | undefined>>,
    lowest: (s: number) => number,
    matchAt: (entry: Entry, s: number) => number,
    walk: GramWalk,
    /** The first meeting decides: a row that does not match there matches nowhere later. */
    once = false,
    /** The gram's place in the query: a row with it at `p` matches from `p - offset`. */
    offset = 0,
  ): void {
    const positions = lists.reduce((n, l) => Math.max(n, l.length), 0) - offset;
    for (let s = 0; s < positions; s++) {
      const low = lowest(s);
      if (walk.full() && walk.worst().m < low) return;
      for (const byPos of lists) {
        for (const entry of byPos[s + offset] ?? []) {
          if (walk.full()) {
            const worst = walk.worst();
            if (worst.m < low || (worst.m === low && compareTails(entry, worst.entry) >= 0)) break;
          }
          if (walk.taken.has(entry)) continue;
          walk.examined++;
          if (once) walk.taken.add(entry);
          if (!passes(entry.row, walk.filter)) continue;
          const m = matchAt(entry, s);
          if (m < 0) continue;
          walk.taken.add(entry);
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
    if (at + 1 < text.length) out.add(1);
    for (let k = 2; at + k < text.length && k <= this.longestSyllable; k++) {
      if (this.syllables.has(text.slice(at, at + k))) out.add(k);
    }
    return out;
  }

  /** Chinese (or any text without Latin letters): rows with a pair of the query's characters in place. */
  private walkChinese(q: Prepared, walk: GramWalk): void {
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
  private walkPlaces(q: Prepared, walk: GramWalk): void {
    if (q.chars.length < MIN_PLACE_QUERY) return;
    const district = TIER.district * 4096;
    this.walkGrams(
      [this.byPosition.get(`d${q.text}`) ?? []],
      () => district,
      () => district,
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
    this.inOrder();
    const n = q.chars.length;
    // The query's rarest pair of characters: a long query (a whole name) meets only rows holding it.
    let offset = 0;
    let lists = how.single ? (this.byPosition.get(how.single) ?? []) : [];
    let size = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < n; i++) {
      const candidate = this.byPosition.get(`${how.pair}${q.chars[i]}${q.chars[i + 1]}`) ?? [];
      const held = candidate.reduce((total, list) => total + (list?.length ?? 0), 0);
      if (held < size) {
        size = held;
        offset = i;
        lists = candidate;
      }
    }
    const at = (t: Text, s: number) => {
      if (t.bmp) return t.whole.startsWith(q.text, s);
      for (let k = 0; k < n; k++) if (t.chars[s + k] !== q.chars[k]) return false;
      return true;
    };
    this.walkGrams(
      [lists],
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
   * with), then, for three letters or more, rows whose initials hold the letters in order.
   */
  private walkLatin(q: Prepared, walk: GramWalk): void {
    this.inOrder();
    const text = q.text;
    const q0 = text[0] as string;
    const grams = this.syllablePrefixes.has(text)
      ? [`i${q0}`]
      : [...this.spans(text, 0)].flatMap((k) => {
          const second = `${q0}${text[k]}`;
          // Two syllables when the query could end inside the second, three initials otherwise.
          if (this.syllablePrefixes.has(text.slice(k))) return [`j${second}`];
          return [...this.spans(text, k)].map((k2) => `k${second}${text[k + k2]}`);
        });
    const aligned = (s: number) => (s === 0 ? TIER.prefix : TIER.inner) * 4096 + s;
    this.walkGrams(
      grams.map((g) => this.byPosition.get(g) ?? []),
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
    this.walkGrams(
      [this.byPosition.get(`i${q0}`) ?? []],
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
