import defaultBook from '../../rulebooks/hangzhou.json' with { type: 'json' };
import { loadRulebookFile, parseRulebook } from './load.ts';
import type { Rulebook, RuleRevision } from './schema.ts';

/**
 * The rulebook this process runs on, chosen once at start-up (docs/rulebook.md): `installRulebook` from
 * `--rulebook`, else the `RULEBOOK` file, else the one bundled into a Lambda (`RULEBOOK_JSON`), else
 * Hangzhou's. Domain functions take the revision they apply as a parameter and default to this one's
 * newest, so they stay pure when a caller passes the revision in force on the date that matters.
 */

/** The default rulebook's path, relative to the repository root, and its id. */
export const DEFAULT_RULEBOOK_PATH = 'rulebooks/hangzhou.json';
export const DEFAULT_RULEBOOK_ID = 'hangzhou';

/**
 * In a Lambda bundle, the rulebook the synth validated, compiled in as its parsed JSON
 * (infra/bundling.ts), so a cold start does not validate it again; outside a bundle it does not exist.
 */
declare const BUNDLED_RULEBOOK: string | undefined;

/** Outside a bundle: the one the synth hands to the process that bundles the functions, else the default. */
function validatedAtStart(): Rulebook {
  const handedOver = process.env.RULEBOOK_JSON;
  if (handedOver) return parseRulebook(JSON.parse(handedOver), 'RULEBOOK_JSON');
  return parseRulebook(defaultBook, DEFAULT_RULEBOOK_PATH);
}

// A conditional the bundler resolves while parsing, so a bundle keeps neither branch's dead code nor
// what only that code imports.
const initial = (): Rulebook =>
  typeof BUNDLED_RULEBOOK === 'string' ? (JSON.parse(BUNDLED_RULEBOOK) as Rulebook) : validatedAtStart();

/**
 * Loads the rulebook a command names (`--rulebook`, `RULEBOOK`, `-c rulebook=`) and installs it; without
 * one, the default stays. Throws a RulebookError listing every problem.
 */
export function installRulebookFile(path: string | undefined): Rulebook {
  if (path) installRulebook(loadRulebookFile(path));
  return current;
}

let current: Rulebook = initial();

/** Makes `book` the rulebook of this process (start-up, synth, tests). */
export function installRulebook(book: Rulebook): void {
  current = book;
}

/** The rulebook this process runs on. */
export function rulebook(): Rulebook {
  return current;
}

/** The newest revision: for wording and for rules asked without a date. */
export function latestRules(book: Rulebook = current): RuleRevision {
  return book.revisions.at(-1) as RuleRevision;
}

/**
 * The revision in force on `date`: the latest whose `effectiveFrom` is on or before it. A date before
 * the first revision falls under the first (decided: the rules a city starts with also cover results
 * assessed before it wrote them down).
 */
export function rulesOn(date: string, book: Rulebook = current): RuleRevision {
  let found = book.revisions[0] as RuleRevision;
  for (const r of book.revisions) if (r.effectiveFrom <= date) found = r;
  return found;
}

/** The revision with this id, if the rulebook has it. */
export function revisionById(id: string, book: Rulebook = current): RuleRevision | undefined {
  return book.revisions.find((r) => r.id === id);
}

/** The district names, in rulebook order. */
export function districtNames(book: Rulebook = current): string[] {
  return book.districts.map((d) => d.name);
}

export function isDistrict(name: unknown, book: Rulebook = current): name is string {
  // Stryker disable next-line ConditionalExpression: no district name equals a non-string anyway
  return typeof name === 'string' && book.districts.some((d) => d.name === name);
}
