import type { RegisterRow } from './register-row.ts';
import { normaliseText } from './search-query.ts';
import type { District, Grade, Kind } from './types.ts';

/**
 * The complete search over the whole register, held in memory. A query is matched against every
 * institution (narrowed first by the posting list of its rarest Chinese character), so nothing that
 * matches can be missed, and results come in one total order, so a cursor (the last key shown) makes
 * every match appear exactly once across pages. See docs/search.md for the ranking and the figures.
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
}

export interface SearchHit {
  row: RegisterRow;
  key: RankKey;
}

interface Entry {
  row: RegisterRow;
  /** Characters in the name: the third part of every rank key. */
  nameLength: number;
  /**
   * Per text: itself, its characters, the pinyin of each, the initials, the full pinyin, and the Latin
   * letters found in it or its pinyin (bit n for letter a + n): a query with a letter outside them cannot match.
   */
  texts: Array<{
    whole: string;
    chars: string[];
    syllables: string[];
    initials: string;
    full: string;
    letters: number;
  }>;
}

/** A query analysed once per search, not once per institution. */
interface Prepared {
  text: string;
  chars: string[];
  latinOnly: boolean;
  hasLatin: boolean;
  /** Its Latin letters, as `Entry` holds them. */
  letters: number;
}

const prepare = (text: string): Prepared => ({
  text,
  chars: Array.from(text),
  latinOnly: /^[a-z]+$/.test(text),
  hasLatin: /[a-z]/.test(text),
  letters: lettersOf(text),
});

const A = 97;
const Z = 122;
const isLatinAt = (s: string, i: number) => {
  const code = s.charCodeAt(i);
  return code >= A && code <= Z;
};

/** The set of Latin letters in a text, one bit per letter. */
function lettersOf(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) if (isLatinAt(text, i)) bits |= 1 << (text.charCodeAt(i) - A);
  return bits;
}

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

function entryOf(row: RegisterRow): Entry {
  return {
    row,
    nameLength: Array.from(row.name).length,
    texts: row.texts.map((text, i) => {
      const chars = Array.from(text);
      let syllables = (row.pinyin[i] ?? '').split(' ');
      if (syllables.length !== chars.length) syllables = chars;
      const initials = syllables.map((s, n) => (/^[a-z]/.test(s) ? s[0] : chars[n])).join('');
      const full = syllables.join('');
      return { whole: text, chars, syllables, initials, full, letters: lettersOf(text) | lettersOf(full) };
    }),
  };
}

/** The dynamic-programming table of `alignedStart`, reused across calls (it only ever grows). */
let table = new Uint8Array(1024);

/**
 * Where the query matches the text, syllable-aligned: each query character is the text's character,
 * or Latin letters spell a syllable in full, by its initial, or (at the very end) by its beginning. So
 * "meili", "ml", "ml艺星", "meil" and "美丽" all match 美丽艺星…. Returns the first start, or -1.
 */
export function alignedStart(query: string[], chars: string[], syllables: string[]): number {
  const Q = query.length;
  const S = chars.length;
  // ok[qi * (S + 1) + j]: query[qi..] matches from character j on.
  const size = (Q + 1) * (S + 1);
  if (table.length < size) table = new Uint8Array(size * 2);
  const ok = table;
  ok.fill(0, 0, size);
  for (let j = 0; j <= S; j++) ok[Q * (S + 1) + j] = 1;
  for (let qi = Q - 1; qi >= 0; qi--) {
    const x = query[qi] as string;
    const latin = x.length === 1 && isLatinAt(x, 0);
    for (let j = S - 1; j >= 0; j--) {
      const next = (qi + 1) * (S + 1) + j + 1;
      let r = x === chars[j] && ok[next] === 1;
      const p = syllables[j] as string;
      if (!r && latin && p.length > 0 && isLatinAt(p, 0)) {
        if (p[0] === x) r = ok[next] === 1;
        if (!r && p.length > 1) {
          let n = 0;
          while (n < p.length && qi + n < Q && query[qi + n] === p[n]) n++;
          if (n === p.length) r = ok[(qi + n) * (S + 1) + j + 1] === 1;
          else if (qi + n === Q) r = true; // the query ends inside this syllable
        }
      }
      if (r) ok[qi * (S + 1) + j] = 1;
    }
  }
  for (let j = 0; j < S; j++) if (ok[j] === 1) return j;
  return -1;
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

/** The best tier and start of a match of `query` in one institution, or null. */
function matchEntry(q: Prepared, entry: Entry): { tier: number; start: number } | null {
  const { text: query, chars, latinOnly, hasLatin } = q;
  let bestTier = -1;
  let bestStart = 0;
  // Inlined rather than a closure: this runs for every institution a search examines.
  for (const t of entry.texts) {
    if ((q.letters & ~t.letters) !== 0) continue;
    const whole = t.whole;
    let tier = -1;
    let at = 0;
    if (whole === query || (latinOnly && (t.full === query || t.initials === query))) {
      tier = TIER.exact;
    } else {
      let start: number;
      if (!hasLatin) {
        const found = whole.indexOf(query);
        start = found < 0 ? -1 : Array.from(whole.slice(0, found)).length;
      } else if (t.initials.includes(chars[0] as string) || whole.includes(chars[0] as string)) {
        start = alignedStart(chars, t.chars, t.syllables);
      } else {
        start = -1;
      }
      if (start === 0) tier = TIER.prefix;
      else if (start > 0) {
        tier = TIER.inner;
        at = start;
      } else if (latinOnly && chars.length >= MIN_SCATTERED_INITIALS) {
        const s = initialsInOrder(query, t.initials);
        if (s >= 0) {
          tier = TIER.initialsInOrder;
          at = s;
        }
      }
    }
    if (tier >= 0 && (bestTier < 0 || tier < bestTier || (tier === bestTier && at < bestStart))) {
      bestTier = tier;
      bestStart = at;
    }
  }
  return bestTier < 0 ? null : { tier: bestTier, start: bestStart };
}

function passes(row: RegisterRow, f: SearchFilter): boolean {
  if (f.district && row.district !== f.district) return false;
  if (f.kind && row.kind !== f.kind) return false;
  if (f.grade && (row.grade ?? 'UNGRADED') !== f.grade) return false;
  return true;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Key of the last hit shown when more matches follow, else null. */
  next: RankKey | null;
  /** Institutions whose text was compared (the posting list's length), for the benchmark. */
  examined: number;
  /** How many institutions match in all. */
  total: number;
}

/** The register in memory: rows by uscc, with a posting list per Chinese character. */
export class SearchIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly postings = new Map<string, Set<Entry>>();

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
    for (const ch of hanChars(entry)) {
      let set = this.postings.get(ch);
      if (!set) {
        set = new Set();
        this.postings.set(ch, set);
      }
      set.add(entry);
    }
  }

  private unpost(entry: Entry) {
    for (const ch of hanChars(entry)) this.postings.get(ch)?.delete(entry);
  }

  /**
   * One page of the matches of `rawQuery` in rank order, after `after` (the previous page's `next`).
   * An exact uscc is looked up directly.
   */
  search(args: { query: string; uscc?: string; filter: SearchFilter; limit: number; after: RankKey | null }) {
    const query = prepare(normaliseQuery(args.query));
    const { limit, after } = args;
    // The best `limit + 1` hits after the cursor, kept sorted: O(n log limit), never a sort of all hits.
    const best: SearchHit[] = [];
    let examined = 0;
    let total = 0;
    let later = 0;
    const take = (hit: SearchHit) => {
      total++;
      if (after && compareKeys(hit.key, after) <= 0) return;
      later++;
      if (best.length > limit && compareKeys(hit.key, (best[limit] as SearchHit).key) >= 0) return;
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareKeys((best[mid] as SearchHit).key, hit.key) < 0) lo = mid + 1;
        else hi = mid;
      }
      best.splice(lo, 0, hit);
      if (best.length > limit + 1) best.pop();
    };
    const consider = (entry: Entry) => {
      examined++;
      if (!passes(entry.row, args.filter)) return;
      const m = matchEntry(query, entry);
      if (m) take({ row: entry.row, key: keyOf(m.tier, m.start, entry) });
    };
    if (args.uscc) {
      const entry = this.entries.get(args.uscc);
      examined++;
      if (entry && passes(entry.row, args.filter))
        take({ row: entry.row, key: keyOf(TIER.exact, -1, entry) });
    } else if (query.text.length > 0) {
      const han = Array.from(new Set(query.chars.filter((c) => HAN.test(c))));
      if (han.length > 0) {
        // Every match contains each of its Chinese characters: the rarest one's list holds them all.
        let rarest: Set<Entry> | undefined;
        for (const c of han) {
          const list = this.postings.get(c);
          if (!list || list.size === 0) {
            rarest = new Set();
            break;
          }
          if (!rarest || list.size < rarest.size) rarest = list;
        }
        for (const entry of rarest ?? []) consider(entry);
      } else {
        for (const entry of this.entries.values()) consider(entry);
      }
    }
    const hits = best.slice(0, limit);
    const more = later > limit;
    return {
      hits,
      next: more ? ((hits[hits.length - 1] as SearchHit).key ?? null) : null,
      examined,
      total,
    } satisfies SearchPage;
  }
}

function keyOf(tier: number, start: number, entry: Entry): RankKey {
  return [tier, start, entry.nameLength, entry.row.sortName, entry.row.uscc];
}

function hanChars(entry: Entry): Set<string> {
  const set = new Set<string>();
  for (const t of entry.texts) for (const c of t.chars) if (HAN.test(c)) set.add(c);
  return set;
}
