import type { GeoPoint } from './geo.ts';
import type { Subject, SurgeryLevel } from './practice-scope.ts';
import type { District, Grade, Kind, LocalDate } from './types.ts';

/** A result in publicity as a list shows it: the proposed grade and the publicity window. */
export interface PendingResult {
  proposedGrade: Grade;
  startOn: LocalDate;
  endOn: LocalDate;
  /** Which result (absent on rows written before it was kept): a feed item names it. */
  resultId?: string;
  /** A downgrade since its assessment keeps it from being published (see PublicityInfo). */
  unpublishable?: true;
}

/** The list view of a profile's publicity (the fields a search result or feed item shows). */
export function pendingOf(
  publicity:
    | {
        proposedGrade: Grade;
        startOn: LocalDate;
        endOn: LocalDate;
        resultId?: string;
        unpublishable?: boolean;
      }
    | null
    | undefined,
): PendingResult | null {
  if (!publicity) return null;
  return {
    proposedGrade: publicity.proposedGrade,
    startOn: publicity.startOn,
    endOn: publicity.endOn,
    ...(publicity.resultId && { resultId: publicity.resultId }),
    ...(publicity.unpublishable && { unpublishable: true }),
  };
}

/**
 * The compact row of one institution that search, statistics and the grades export are computed
 * from (≈ 300 bytes, against ≈ 1.1 KB for a profile with its history). The write side derives it from
 * the profile with the pinyin dictionary; the read side only compares strings.
 */
export interface RegisterRow {
  uscc: string;
  name: string;
  aliases: string[];
  kind: Kind;
  district: District;
  grade: Grade | null;
  score: number | null;
  closed: boolean;
  closedOn: LocalDate | null;
  publishedOn: LocalDate | null;
  nextReviewDue: LocalDate | null;
  reviewOverdue: boolean;
  inPublicity: boolean;
  /** The result in publicity, as lists show it (absent on rows written before it was kept). */
  publicity?: PendingResult | null;
  /** When it was registered (the yearly campaign); absent on rows written before it was kept. */
  registeredOn?: LocalDate | null;
  /**
   * Licensed subjects (empty until the licence is entered): what `procedure=` filters on. These three
   * are absent on rows (and snapshots) written before they were kept.
   */
  subjects?: Subject[];
  surgeryLevel?: SurgeryLevel | null;
  /** GCJ-02 position, null until entered: what `near=` measures from. */
  location?: GeoPoint | null;
  /** The street address, as registered: its words find the institution (absent on rows written before it was kept). */
  address?: string | null;
  /** Full pinyin of the name: the order lists and ties are shown in. */
  sortName: string;
  /** Normalised name, then each normalised alias, then each attending physician's name. */
  texts: string[];
  /**
   * For each text, the pinyin of each of its characters joined by spaces (a character that is not
   * Chinese stands for itself), so `texts[i]` and `pinyin[i].split(' ')` align character by character.
   */
  pinyin: string[];
  /** The profile version the row was made from: a row never replaces one made from a newer profile. */
  v: number;
}
