import { rulebook, rulesOn } from '../rulebook/current.ts';
import type { Rulebook, RuleRevision } from '../rulebook/schema.ts';
import { KINDS, type Kind } from './types.ts';

/**
 * The domain's window on the city's rulebook (docs/rulebook.md). Every city-specific rule is read from a
 * revision passed in, or from the running rulebook's newest revision when none is; no rule lives here.
 */
export {
  districtNames,
  isDistrict,
  latestRules,
  revisionById,
  rulebook,
  rulesOn,
} from '../rulebook/current.ts';
export type { Rulebook, RuleRevision } from '../rulebook/schema.ts';

/** The kinds the rulebook puts in scope, in KINDS order. */
export function kindsInScope(book: Rulebook = rulebook()): Kind[] {
  return KINDS.filter((k) => book.kinds[k] !== undefined);
}

/** The kind's Chinese name (医疗美容诊所 …); the code itself for a kind the rulebook leaves out. */
export function kindLabel(kind: Kind, book: Rulebook = rulebook()): string {
  return book.kinds[kind]?.label ?? kind;
}

/** Who scores a kind: the city institute or the district institute of the institution's district. */
export function scoredBy(kind: Kind, book: Rulebook = rulebook()): 'city' | 'district' | null {
  return book.kinds[kind]?.scoredBy ?? null;
}

/**
 * The revision a result is graded, publicised and scheduled by: the one it records, else (a result
 * graded before revisions were recorded, or one the rulebook no longer lists) the one in force on its
 * assessment date. Changing a threshold from a date on never re-grades older results.
 */
export function rulesOf(
  result: { revision?: string | undefined; assessedOn: string },
  book: Rulebook = rulebook(),
): RuleRevision {
  return book.revisions.find((r) => r.id === result.revision) ?? rulesOn(result.assessedOn, book);
}
