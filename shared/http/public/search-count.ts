import { normaliseQuery } from '../../domain/search-index.ts';
import { validateUscc } from '../../domain/uscc.ts';
import type { SearchQuery } from '../../schemas/search.ts';
import type { RegisterIndexSource } from '../../store/register-index.ts';

/** Matches counted one by one at most; beyond it a page says "more than". */
export const COUNT_CAP = 1000;

export interface MatchCount {
  count: number;
  /** True when there are more than `count` (= COUNT_CAP) matches. */
  capped: boolean;
}

/**
 * How many institutions a search finds in all (the page's "共 N 家"), from the register in memory:
 * the same matcher and filters as the search itself, so the count and the pages agree.
 */
export async function countMatches(register: RegisterIndexSource, query: SearchQuery): Promise<MatchCount> {
  const index = await register.current();
  const filter = { district: query.district, grade: query.grade, kind: query.kind };
  const needle = query.q ? normaliseQuery(query.q) : '';
  if (!needle) {
    let count = 0;
    for (const row of index.rows()) {
      if (filter.district && row.district !== filter.district) continue;
      if (filter.kind && row.kind !== filter.kind) continue;
      if (filter.grade && (row.grade ?? 'UNGRADED') !== filter.grade) continue;
      count++;
    }
    return { count, capped: false };
  }
  const uscc = validateUscc(query.q);
  const page = index.search({
    query: needle,
    uscc: uscc.ok ? uscc.uscc : undefined,
    filter,
    limit: COUNT_CAP,
    after: null,
  });
  return { count: page.hits.length, capped: page.next !== null };
}
