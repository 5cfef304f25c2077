import { pinyin } from 'pinyin-pro';
import type { InstitutionProfile } from './model.ts';
import type { RegisterRow } from './register-row.ts';
import { type GramSpace, normaliseText, TEXT_SEPARATOR } from './search-query.ts';

/**
 * The n-gram terms under which an institution is findable: every one- and two-character gram of
 * its name and aliases, and the two-letter grams starting at each syllable of their full pinyin and
 * at each letter of their initials. Write-side only (it loads the pinyin dictionary).
 */

export interface SearchTerm {
  space: GramSpace;
  gram: string;
  /** 0 when the gram starts one of the texts: such items sort first in the partition. */
  bucket: 0 | 1;
  /** Length of the shortest text this gram starts, so an exact name sorts before longer prefixes. */
  length: number;
}

export interface SearchableTexts {
  /** Normalised names and aliases. */
  chinese: string[];
  /** Full pinyin of each. */
  pinyin: string[];
  /** Pinyin initials of each. */
  initials: string[];
}

export function searchableTexts(name: string, aliases: string[]): SearchableTexts {
  const chinese = [...new Set([name, ...aliases].map(normaliseText).filter((t) => t.length > 0))];
  const syllables = chinese.map((t) =>
    pinyin(t, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).map((s) =>
      normaliseText(s),
    ),
  );
  return {
    chinese,
    pinyin: syllables.map((s) => s.join('')),
    initials: syllables.map((s) => s.map((x) => x.slice(0, 1)).join('')),
  };
}

/** The single string a candidate is checked against (`contains`), one text per segment. */
export function searchText(texts: SearchableTexts): string {
  return [...texts.chinese, ...texts.pinyin, ...texts.initials].join(TEXT_SEPARATOR);
}

export function searchTerms(name: string, aliases: string[]): SearchTerm[] {
  const texts = searchableTexts(name, aliases);
  const terms = new Map<string, SearchTerm>();
  const add = (space: GramSpace, gram: string, start: boolean, length: number) => {
    if (gram.length === 0) return;
    const id = `${space}:${gram}`;
    const term: SearchTerm = { space, gram, bucket: start ? 0 : 1, length };
    const seen = terms.get(id);
    if (!seen || term.bucket < seen.bucket || (term.bucket === seen.bucket && term.length < seen.length)) {
      terms.set(id, term);
    }
  };
  for (const text of texts.chinese) {
    const chars = Array.from(text);
    chars.forEach((_, i) => {
      add('c', chars[i] ?? '', i === 0, chars.length);
      if (i + 1 < chars.length) add('c', chars.slice(i, i + 2).join(''), i === 0, chars.length);
    });
  }
  texts.chinese.forEach((text, n) => {
    const syl = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).map(
      normaliseText,
    );
    const full = texts.pinyin[n] ?? '';
    let offset = 0;
    syl.forEach((s, i) => {
      if (/^[a-z]/.test(s)) {
        add('p', full.slice(offset, offset + 2), i === 0, full.length);
        if (i === 0) add('p', full.slice(0, 1), true, full.length);
      }
      offset += s.length;
    });
    const initials = texts.initials[n] ?? '';
    for (let i = 0; i < initials.length; i++) {
      const gram = initials.slice(i, i + 2);
      if (/^[a-z]{1,2}$/.test(gram) && gram.length === 2) add('p', gram, i === 0, initials.length);
    }
  });
  return [...terms.values()];
}

/** Pinyin of each character of a normalised text, joined by spaces (other characters stand for themselves). */
export function characterPinyin(text: string): string {
  const chars = Array.from(text);
  let syl = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'spaced', v: true }).map(normaliseText);
  if (syl.length !== chars.length) {
    syl = chars.map(
      (c) =>
        normaliseText(pinyin(c, { toneType: 'none', type: 'array', nonZh: 'spaced', v: true })[0] ?? c) || c,
    );
  }
  return syl.map((s, i) => (s.length === 0 ? (chars[i] as string) : s)).join(' ');
}

/** The compact register row of a profile (write side: it needs the pinyin dictionary). */
export function registerRowOf(p: InstitutionProfile): RegisterRow {
  const texts = searchableTexts(p.name, p.aliases);
  return {
    uscc: p.uscc,
    name: p.name,
    aliases: p.aliases,
    kind: p.kind,
    district: p.district,
    grade: p.grade,
    score: p.score,
    closed: p.closed,
    closedOn: p.closedOn ?? null,
    publishedOn: p.publishedOn,
    nextReviewDue: p.nextReviewDue,
    reviewOverdue: p.reviewOverdue,
    inPublicity: p.publicity !== null,
    registeredOn: p.registeredOn,
    sortName: texts.pinyin[0] ?? p.name,
    texts: texts.chinese,
    pinyin: texts.chinese.map(characterPinyin),
    v: p.version,
  };
}
