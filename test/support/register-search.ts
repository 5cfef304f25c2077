import type { RegisterRow } from '#shared/domain/register-row.ts';
import { type SearchFilter, SearchIndex } from '#shared/domain/search-index.ts';
import type { InstitutionReader } from '#shared/store/institution-reader.ts';

/** Every match of `q` in the stored register rows, in rank order (a fresh index, so never stale). */
export async function searchRegister(
  reader: InstitutionReader,
  q: string,
  filter: SearchFilter = {},
): Promise<RegisterRow[]> {
  const index = new SearchIndex(await reader.rows.all());
  return index.search({ query: q, filter, limit: 10_000, after: null }).hits.map((h) => h.row);
}
