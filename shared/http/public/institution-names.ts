import type { InstitutionReader } from '../../store/institution-reader.ts';

/** Names of a page's institutions by uscc: one GetItem each, a few at a time (a page holds at most 50). */
export async function institutionNames(
  reader: InstitutionReader,
  usccs: string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const pending = [...new Set(usccs)];
  const worker = async () => {
    for (let u = pending.pop(); u !== undefined; u = pending.pop()) {
      const profile = await reader.getProfile(u);
      if (profile) names.set(u, profile.name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, pending.length) }, worker));
  return names;
}
