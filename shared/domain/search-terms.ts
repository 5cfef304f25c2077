import { pinyin } from 'pinyin-pro';
import type { InstitutionProfile } from './model.ts';
import { pendingOf, type RegisterRow } from './register-row.ts';
import { normaliseText } from './search-query.ts';

/**
 * The texts under which an institution is findable: its normalised name and aliases, their full pinyin
 * and initials, and the pinyin of each character. Write-side only (it loads the pinyin dictionary).
 */

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
  // A physician's name finds where they are registered (a tie ranks it like an alias).
  const texts = searchableTexts(p.name, [...p.aliases, ...(p.physicians ?? []).map((d) => d.name)]);
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
    publicity: pendingOf(p.publicity),
    registeredOn: p.registeredOn,
    subjects: p.licence?.subjects ?? [],
    surgeryLevel: p.licence?.surgeryLevel ?? null,
    location: p.location ?? null,
    address: p.address,
    sortName: texts.pinyin[0] ?? p.name,
    texts: texts.chinese,
    pinyin: texts.chinese.map(characterPinyin),
    v: p.version,
  };
}
