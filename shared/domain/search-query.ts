/**
 * How a search query and an indexed name are normalised and which index partition answers a query.
 * Used on the public request path, so it must stay free of the pinyin dictionary.
 */

export const MAX_QUERY_LENGTH = 64;

/** NFKC (full-width → half-width), lower case, no whitespace or control characters. */
export function normaliseText(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Cc}\p{Cf}\p{Cs}]/gu, '');
}

export type GramSpace = 'c' | 'p';

export interface QueryPlan {
  /** The normalised query every candidate's text must contain. */
  needle: string;
  space: GramSpace;
  /** The partition gram: the query's first one or two characters. */
  gram: string;
}

const LATIN = /^[a-z]+$/;

/**
 * Latin-only queries are pinyin or initials ("xihu", "xhmr"); anything else is matched against the
 * characters of names and aliases. The first gram of the query picks the partition, so a match at
 * the start of a name lands in bucket 0 of that partition and ranks first.
 */
export function planQuery(raw: string): QueryPlan | null {
  let needle = normaliseText(raw);
  if (needle.length === 0) return null;
  // The index spells ü as v (lv, nv), as pinyin keyboards do.
  if (/^[a-zü]+$/.test(needle)) needle = needle.replace(/ü/g, 'v');
  const chars = Array.from(needle);
  const space: GramSpace = LATIN.test(needle) ? 'p' : 'c';
  const gram = chars.slice(0, 2).join('');
  return { needle, space, gram };
}

/** 0 exact, 1 prefix, 2 substring, 3 no match: the ranking within a page. */
export function matchRank(needle: string, texts: string[]): number {
  let best = 3;
  for (const t of texts) {
    if (t === needle) return 0;
    if (t.startsWith(needle)) best = Math.min(best, 1);
    else if (t.includes(needle)) best = Math.min(best, 2);
  }
  return best;
}
