import type { InstitutionReader } from '../../store/institution-reader.ts';

/**
 * Names of a page's institutions by uscc, from their compact register rows: one BatchGetItem for a
 * page (a page holds at most 50), whatever the register's size.
 */
export async function institutionNames(
  reader: InstitutionReader,
  usccs: string[],
): Promise<Map<string, string>> {
  if (usccs.length === 0) return new Map();
  const rows = await reader.rows.getMany(usccs, false);
  return new Map([...rows].map(([uscc, row]) => [uscc, row.name]));
}
