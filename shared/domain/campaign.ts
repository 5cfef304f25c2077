import { effectiveStatus, isFinalStatus } from './lifecycle.ts';
import { countsInScope } from './scope.ts';
import type { District, Grade, Kind, LocalDate, ResultReason, ResultStatus } from './types.ts';

/**
 * The yearly campaign (全市每年统一组织一次, DOMAIN.md "Dynamic management"): which institutions a
 * calendar year's campaign covers, the stage each has reached and the progress by district. Pure:
 * the store hands in the register, the results assessed in the year and the year's upgrade
 * applications.
 *
 * Decided, and kept here so it can be changed in one place:
 * - A result belongs to the campaign of the calendar year (Asia/Shanghai) it was assessed in; one of
 *   the year before that is still under way (neither published nor withdrawn) carries over.
 * - Covered: every institution in scope with a result of the year (its reason gives the basis), or an
 *   upgrade application of the year, or, without either, one never graded (new) or whose re-review
 *   falls due by the end of the year (an overdue one carries over until it is done).
 * - One entry per institution, decided by its latest work of the year: the latest result not withdrawn
 *   (a withdrawn one only when nothing replaced it) or the upgrade application when submitted after
 *   that result; with neither, `not_started`.
 * - Closed institutions are out of scope, as in `/v1/stats`; an institution registered after the year
 *   is not in that year's campaign.
 * - Settled: published, or an application refused (or found untrue). Progress = settled ÷ covered.
 */

export const CAMPAIGN_BASES = ['new', 'review', 'upgrade'] as const;
export type CampaignBasis = (typeof CAMPAIGN_BASES)[number];

/** The stages in the order the work moves through them; `refused` and `withdrawn` end it early. */
export const CAMPAIGN_STAGES = [
  'not_started',
  'applied',
  'scored',
  'approved',
  'rechecked',
  'publicity_scheduled',
  'in_publicity',
  'objection_open',
  'publicity_ended',
  'published',
  'refused',
  'withdrawn',
] as const;
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number];

/** Stages at which the campaign's work for the institution is done. */
export const SETTLED_STAGES: readonly CampaignStage[] = ['published', 'refused'];

/** What the campaign reads of an institution (a register row carries it all). */
export interface CampaignInstitution {
  uscc: string;
  name: string;
  kind: Kind;
  district: District;
  grade: Grade | null;
  publishedOn: LocalDate | null;
  nextReviewDue: LocalDate | null;
  closed: boolean;
  /** Absent on rows written before the register kept it: then taken as registered in time. */
  registeredOn?: LocalDate | null;
  sortName: string;
}

/** What the campaign reads of a grading result. */
export interface CampaignResult {
  id: string;
  uscc: string;
  reason: ResultReason;
  status: ResultStatus;
  assessedOn: LocalDate;
  createdAt: string;
  grade: Grade;
  publicity: { startOn: LocalDate; endOn: LocalDate } | null;
  openObjections: number;
}

/** What the campaign reads of an upgrade application. */
export interface CampaignApplication {
  id: string;
  uscc: string;
  year: number;
  status: 'pending' | 'accepted' | 'refused' | 'untrue';
  assessmentId: string | null;
  /** When it was submitted (ISO 8601 with offset). */
  submittedAt: string;
}

export interface CampaignEntry {
  uscc: string;
  name: string;
  kind: Kind;
  district: District;
  basis: CampaignBasis;
  stage: CampaignStage;
  /** The grade in force now (null when none has been published). */
  grade: Grade | null;
  /** The grade the campaign's result proposes, once scored. */
  proposedGrade: Grade | null;
  /** The re-review due date, for an institution covered because of it. */
  reviewDue: LocalDate | null;
  resultId: string | null;
  applicationId: string | null;
  /** Sort key: district, then name order. */
  sortKey: string;
}

export interface CampaignProgress {
  covered: number;
  settled: number;
  /** settled ÷ covered, 4 decimals; 0 when nothing is covered. */
  progress: number;
  byBasis: Record<CampaignBasis, number>;
  byStage: Record<CampaignStage, number>;
}

export const yearStart = (year: number): LocalDate => `${year}-01-01`;
export const yearEnd = (year: number): LocalDate => `${year}-12-31`;

/** Whether a result was assessed in the campaign year. */
export const inCampaignYear = (assessedOn: LocalDate, year: number): boolean =>
  assessedOn >= yearStart(year) && assessedOn <= yearEnd(year);

/** Whether a result counts in the campaign: assessed in its year, or the year before and still under way. */
export const countsInCampaign = (r: Pick<CampaignResult, 'assessedOn' | 'status'>, year: number): boolean =>
  inCampaignYear(r.assessedOn, year) || (inCampaignYear(r.assessedOn, year - 1) && !isFinalStatus(r.status));

/** The stage a result has reached today (scheduled publicity is not publicity yet, DOMAIN.md). */
export function resultStage(r: CampaignResult, today: LocalDate): CampaignStage {
  switch (r.status) {
    case 'scored':
    case 'approved':
    case 'rechecked':
    case 'published':
    case 'withdrawn':
      return r.status;
    case 'in_publicity':
    case 'publicity_ended': {
      // A result in publicity always has its window, and one whose publicity ended started it before today.
      // Stryker disable next-line ConditionalExpression,LogicalOperator: see above
      if (r.status === 'in_publicity' && r.publicity && r.publicity.startOn > today)
        return 'publicity_scheduled';
      if (r.openObjections > 0) return 'objection_open';
      // Stryker disable next-line OptionalChaining: a result in or past publicity always has its window
      return effectiveStatus(r.status, r.publicity?.endOn, today) === 'publicity_ended'
        ? 'publicity_ended'
        : 'in_publicity';
    }
  }
}

const BASIS_OF_REASON: Record<Exclude<ResultReason, 'downgrade'>, CampaignBasis> = {
  initial: 'new',
  review: 'review',
  upgrade: 'upgrade',
};

/** Stored times carry their offset (older ones `Z`, newer `+08:00`): compare instants, not strings. */
const instant = (iso: string): number => Date.parse(iso);

/** The result that speaks for the institution: the latest not withdrawn, else the latest. */
function leadingResult(results: CampaignResult[]): CampaignResult | undefined {
  const byCreation = [...results].sort(
    (a, b) => instant(a.createdAt) - instant(b.createdAt) || a.id.localeCompare(b.id),
  );
  return byCreation.filter((r) => r.status !== 'withdrawn').at(-1) ?? byCreation.at(-1);
}

function applicationStage(a: CampaignApplication): CampaignStage {
  if (a.status === 'pending') return 'applied';
  if (a.status === 'accepted') return 'scored';
  return 'refused';
}

/**
 * The campaign of `year` as it stands on `today`: one entry per covered institution, in district and
 * name order. `results` may hold results of other years and downgrades; they are left out here.
 */
export function campaignEntries(input: {
  year: number;
  today: LocalDate;
  institutions: Iterable<CampaignInstitution>;
  results: readonly CampaignResult[];
  applications: readonly CampaignApplication[];
}): CampaignEntry[] {
  const { year, today } = input;
  const resultsOf = new Map<string, CampaignResult[]>();
  for (const r of input.results) {
    if (r.reason === 'downgrade' || !countsInCampaign(r, year)) continue;
    const list = resultsOf.get(r.uscc) ?? [];
    list.push(r);
    resultsOf.set(r.uscc, list);
  }
  const applicationOf = new Map(
    input.applications.filter((a) => a.year === year).map((a) => [a.uscc, a] as const),
  );
  const entries: CampaignEntry[] = [];
  for (const inst of input.institutions) {
    if (!countsInScope(inst)) continue;
    if (inst.registeredOn && inst.registeredOn > yearEnd(year)) continue;
    const entry = entryOf(inst, resultsOf.get(inst.uscc) ?? [], applicationOf.get(inst.uscc), year, today);
    if (entry) entries.push(entry);
  }
  // Stryker disable next-line EqualityOperator,ConditionalExpression: sort keys end with the uscc, so no two are equal
  return entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}

function entryOf(
  inst: CampaignInstitution,
  results: CampaignResult[],
  application: CampaignApplication | undefined,
  year: number,
  today: LocalDate,
): CampaignEntry | null {
  const reviewDue =
    // The register sets grade, publication date and review due date together, and `null <= date` is false.
    // Stryker disable next-line ConditionalExpression,LogicalOperator: see above
    inst.grade !== null && inst.nextReviewDue !== null && inst.nextReviewDue <= yearEnd(year)
      ? inst.nextReviewDue
      : null;
  const base = {
    uscc: inst.uscc,
    name: inst.name,
    kind: inst.kind,
    district: inst.district,
    grade: inst.grade,
    sortKey: `${inst.district}#${inst.sortName}#${inst.uscc}`,
  };
  const lead = leadingResult(results);
  if (lead && !(application && instant(application.submittedAt) > instant(lead.createdAt))) {
    const basis = BASIS_OF_REASON[lead.reason as Exclude<ResultReason, 'downgrade'>];
    return {
      ...base,
      basis,
      stage: resultStage(lead, today),
      proposedGrade: lead.grade,
      reviewDue: basis === 'review' ? reviewDue : null,
      resultId: lead.id,
      applicationId: basis === 'upgrade' ? (application?.id ?? null) : null,
    };
  }
  if (application) {
    return {
      ...base,
      basis: 'upgrade',
      stage: applicationStage(application),
      proposedGrade: null,
      reviewDue: null,
      resultId: application.assessmentId,
      applicationId: application.id,
    };
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: the register sets grade and publication date together
  const neverGraded = inst.grade === null && inst.publishedOn === null;
  if (!neverGraded && reviewDue === null) return null;
  return {
    ...base,
    basis: neverGraded ? 'new' : 'review',
    stage: 'not_started',
    proposedGrade: null,
    reviewDue,
    resultId: null,
    applicationId: null,
  };
}

const zeroes = <K extends string>(names: readonly K[]): Record<K, number> =>
  Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;

/** Counts of a set of entries: covered, settled and the share settled, by basis and by stage. */
export function progressOf(entries: Iterable<Pick<CampaignEntry, 'basis' | 'stage'>>): CampaignProgress {
  const byBasis = zeroes(CAMPAIGN_BASES);
  const byStage = zeroes(CAMPAIGN_STAGES);
  let covered = 0;
  for (const e of entries) {
    covered++;
    byBasis[e.basis]++;
    byStage[e.stage]++;
  }
  const settled = SETTLED_STAGES.reduce((n, s) => n + byStage[s], 0);
  return {
    covered,
    settled,
    progress: covered === 0 ? 0 : Math.round((settled / covered) * 10_000) / 10_000,
    byBasis,
    byStage,
  };
}

/** Progress per district, every district listed (in the order given) even when nothing is covered. */
export function progressByDistrict(
  entries: readonly CampaignEntry[],
  districts: readonly District[],
): Array<{ district: District } & CampaignProgress> {
  return districts.map((district) => ({
    district,
    ...progressOf(entries.filter((e) => e.district === district)),
  }));
}
