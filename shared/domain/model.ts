import type { GeoPoint } from './geo.ts';
import type { Licence, Physician } from './practice-scope.ts';
import type { PendingReminder } from './review.ts';
import type {
  ChangeType,
  District,
  Grade,
  Kind,
  LocalDate,
  ResultReason,
  ResultStatus,
  Severity,
  ViolationType,
} from './types.ts';

/** One published result as the public sees it in the history. */
export interface HistoryEntry {
  resultId: string;
  grade: Grade;
  score: number;
  publishedOn: LocalDate;
  reason: ResultReason;
  /** The rulebook revision the result was graded under (absent on results graded before revisions). */
  revision?: string;
  /** The grade proposed in publicity, when a violation during a first publicity lowered the published one. */
  proposedGrade?: Grade;
  /** A downgrade's cause: what happened, how serious, when (absent on entries recorded before it was kept). */
  cause?: DowngradeCause;
}

/** An institution's own statement about its grade, as approved by the regulator that scores it. */
export interface InstitutionReply {
  text: string;
  submittedOn: LocalDate;
  approvedOn: LocalDate;
  /** Bookkeeping, never shown: the statement approved, the result it is about, when it was submitted. */
  statementId?: string;
  resultId?: string;
  submittedAt?: string;
}

/** Why a downgrade happened, as the public history names it (never the regulator's description). */
export interface DowngradeCause {
  type: ViolationType;
  severity: Severity;
  occurredOn: LocalDate;
}

/** A result now in publicity (公示). */
export interface PublicityInfo {
  resultId: string;
  proposedGrade: Grade;
  score: number;
  startOn: LocalDate;
  endOn: LocalDate;
  /** A violation during a first publicity: the result is published no higher than this grade. */
  gradeCap?: Grade;
  /** A downgrade since the assessment stands over the proposed grade: this result cannot be published. */
  unpublishable?: boolean;
}

/** The industry association's own 1A–5A rating (seed 000): never mixed with the regulatory grade. */
export interface IndustryRating {
  level: IndustryLevel;
  ratedOn: LocalDate;
  /** The association that rated, e.g. 中国整形美容协会. */
  ratedBy: string;
  validUntil: LocalDate | null;
}

/** Every association's rating of an institution, one each (an older item holds only `industryRating`). */
export function ratingsOf(p: { industryRating: IndustryRating | null; industryRatings?: IndustryRating[] }) {
  return p.industryRatings ?? (p.industryRating ? [p.industryRating] : []);
}

/** The most recently dated of `ratings` (the later recorded on the same day), or null. */
export function latestRating(ratings: readonly IndustryRating[]): IndustryRating | null {
  return ratings.reduce<IndustryRating | null>((a, r) => (a && a.ratedOn > r.ratedOn ? a : r), null);
}

/** The association's levels, lowest first. */
export const INDUSTRY_LEVELS = ['1A', '2A', '3A', '4A', '5A'] as const;
export type IndustryLevel = (typeof INDUSTRY_LEVELS)[number];

/**
 * The public projection of an institution: everything the detail page shows, in one item, and
 * nothing that may not be shown (contacts, watch-list, inspections live elsewhere).
 */
export interface InstitutionProfile {
  uscc: string;
  name: string;
  aliases: string[];
  kind: Kind;
  district: District;
  address: string;
  grade: Grade | null;
  score: number | null;
  publishedOn: LocalDate | null;
  /** The result whose grade is current (published or downgrade). */
  currentResultId: string | null;
  nextReviewDue: LocalDate | null;
  reviewOverdue: boolean;
  /**
   * The next re-review reminder owed (regulator bookkeeping, never shown): the store lists the profile
   * under that day in the sparse reminder index, so the daily job reads only what is due.
   */
  nextReminder: PendingReminder | null;
  publicity: PublicityInfo | null;
  history: HistoryEntry[];
  /** The most recent of `industryRatings` (API.md's `industryRating`). */
  industryRating: IndustryRating | null;
  /** Every association's current rating, one per association; absent on items written before there were several. */
  industryRatings?: IndustryRating[];
  /** The practice licence's number, subjects and surgery level; absent until a regulator enters it. */
  licence?: Licence | null;
  /** Registered attending physicians (主诊医师); absent on profiles written before they were kept. */
  physicians?: Physician[];
  /** Where it is, in GCJ-02; absent until entered. */
  location?: GeoPoint | null;
  closed: boolean;
  closedOn: LocalDate | null;
  /** The institution's approved statement about its grade (its right to reply); absent when none. */
  reply?: InstitutionReply | null;
  registeredOn: LocalDate;
  /** Optimistic-locking counter: every write is conditional on it. */
  version: number;
  updatedAt: string;
}

export interface HighRiskServices {
  generalAnesthesia?: boolean;
  liposuction?: boolean;
  prepaidNonCompliant?: boolean;
}

export interface Contacts {
  phones: string[];
  wechatOpenIds: string[];
}

/** Regulator-only data of an institution. */
export interface InstitutionPrivate {
  uscc: string;
  contacts: Contacts;
  services: HighRiskServices;
  /** Calendar years in which an upgrade application was made. */
  upgradeYears: number[];
  /** End of a 2-year upgrade ban, if any. */
  upgradeBanUntil: LocalDate | null;
  offSiteSupervised: boolean;
  version: number;
  updatedAt: string;
}

export interface Objection {
  id: string;
  resultId: string;
  lodgedAt: string;
  text: string;
  status: 'open' | 'upheld' | 'dismissed';
  resolution?: string;
  /** The short public reference of its receipt (absent on objections lodged before receipts). */
  reference?: string;
}

/** A grading result on its way through the lifecycle (DOMAIN.md "Life of a grading result"). */
export interface GradingResult {
  id: string;
  uscc: string;
  kind: Kind;
  district: District;
  status: ResultStatus;
  score: number;
  grade: Grade;
  breakdown: Record<string, number> | null;
  reason: ResultReason;
  assessedOn: LocalDate;
  /**
   * The rulebook revision in force on `assessedOn`: it graded the result and sets its publicity and
   * re-review (absent on results graded before revisions, which follow the first revision).
   */
  revision?: string;
  assessor: string | null;
  /** Association or quality-control centre the scoring was delegated to (委托). */
  delegatedTo: string | null;
  publicity: { startOn: LocalDate; endOn: LocalDate } | null;
  openObjections: number;
  publishedOn: LocalDate | null;
  nextReviewDue: LocalDate | null;
  createdAt: string;
  createdBy: string;
  version: number;
  updatedAt: string;
}

export interface Violation {
  id: string;
  uscc: string;
  occurredOn: LocalDate;
  type: ViolationType;
  severity: Severity;
  description: string;
  rectifiedOn: LocalDate | null;
  gradeBefore: Grade | null;
  gradeAfter: Grade | null;
  entersDishonestyRecord: boolean;
  dishonestyReason: string;
  recordedAt: string;
  recordedBy: string;
}

/** A change event of the public feed (API.md). */
export interface ChangeEvent {
  id: string;
  seq: number;
  type: ChangeType;
  uscc: string;
  district: District;
  occurredAt: string;
  /** When the event was appended to the feed (absent on events written before it was recorded). */
  recordedAt?: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
