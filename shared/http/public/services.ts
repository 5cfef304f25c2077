import type { InstitutionProfile } from '../../domain/model.ts';
import type { InstitutionList, SearchQuery, Stats } from '../../schemas/search.ts';
import type { PublicDeps } from '../deps.ts';
import { qrSvg } from './qr.ts';
import { searchInstitutions } from './search.ts';
import { statsFromTally } from './stats.ts';

/** The public lookup's operations, shared by the JSON API and the web pages. */
export interface PublicLookup {
  search(query: SearchQuery): Promise<InstitutionList>;
  profile(uscc: string): Promise<InstitutionProfile | null>;
  stats(): Promise<Stats>;
  /** URL of an institution's public page: what its door-sign QR code encodes. */
  pageUrl(uscc: string): string;
  qrSvg(uscc: string): Promise<string>;
}

export function publicLookup(deps: PublicDeps): PublicLookup {
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const stats = async () => statsFromTally(await deps.tally.tally(), deps.clock);
  const pageUrl = (uscc: string) => `${base}/i/${uscc}`;
  return {
    search: (query) => searchInstitutions(deps.reader, deps.register, deps.cursorSecret, query),
    profile: (uscc) => deps.reader.getProfile(uscc),
    stats,
    pageUrl,
    // Error correction M survives a scuffed door sign; the margin keeps scanners happy on any background.
    qrSvg: async (uscc) => qrSvg(pageUrl(uscc), { errorCorrectionLevel: 'M', margin: 2 }),
  };
}
