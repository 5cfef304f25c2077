import type { InstitutionProfile } from '../../domain/model.ts';
import type { InstitutionList, SearchQuery, Stats } from '../../schemas/search.ts';
import type { PublicDeps } from '../deps.ts';
import { objectionLookup } from './objection-status.ts';
import { qrSvg } from './qr.ts';
import { begunOn, searchInstitutions } from './search.ts';
import { countMatches, type MatchCount } from './search-count.ts';
import { statsFromTally } from './stats.ts';

/** The public lookup's operations, shared by the JSON API and the web pages. */
export interface PublicLookup {
  search(query: SearchQuery): Promise<InstitutionList>;
  /** How many institutions the search finds in all (the search page's count). */
  count(query: SearchQuery): Promise<MatchCount>;
  profile(uscc: string): Promise<InstitutionProfile | null>;
  stats(): Promise<Stats>;
  /** URL of an institution's public page: what its door-sign QR code encodes. */
  pageUrl(uscc: string): string;
  qrSvg(uscc: string): Promise<string>;
  /** An objection's public status by its reference (one miss counter per process, for API and page). */
  objectionStatus: ReturnType<typeof objectionLookup>;
}

export function publicLookup(deps: PublicDeps): PublicLookup {
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const stats = async () => statsFromTally(await deps.tally.tally(), deps.clock);
  const pageUrl = (uscc: string) => `${base}/i/${uscc}`;
  return {
    search: async (query) =>
      begunOn(
        await searchInstitutions(deps.reader, deps.register, deps.cursorSecret, query),
        deps.clock.today(),
      ),
    count: (query) => countMatches(deps.register, query),
    objectionStatus: objectionLookup(deps),
    profile: (uscc) => deps.reader.getProfile(uscc),
    stats,
    pageUrl,
    // Error correction M survives a scuffed door sign; the margin keeps scanners happy on any background.
    qrSvg: async (uscc) => qrSvg(pageUrl(uscc), { errorCorrectionLevel: 'M', margin: 2 }),
  };
}
