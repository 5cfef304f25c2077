import { type ActingParty, type Authorisation, authorise, type OperationId } from './permissions.ts';
import { scoredBy } from './rules.ts';
import type { Kind, LocalDate, ResultStatus } from './types.ts';

/**
 * The life of a grading result as a state machine, and who may do what (DOMAIN.md "Life of a grading
 * result", API.md "Authenticated").
 */

export const RESULT_ACTIONS = [
  'approve',
  'recheck',
  'publicise',
  'end_publicity',
  'publish',
  'withdraw',
] as const;
export type ResultAction = (typeof RESULT_ACTIONS)[number];

type Transitions = Partial<Record<ResultStatus, Partial<Record<ResultAction, ResultStatus>>>>;

/**
 * Shared tail of every flow: publicity runs 5 working days, ends, and the guidance group publishes.
 * The city may withdraw a result at any step before publication, including when an objection is upheld.
 */
const PUBLICITY_AND_AFTER: Transitions = {
  in_publicity: { end_publicity: 'publicity_ended', withdraw: 'withdrawn' },
  publicity_ended: { publish: 'published', withdraw: 'withdrawn' },
};

/** Clinics: district approval (审定) and city re-check (复核) come before publicity (DOMAIN.md step 2). */
const CLINIC_FLOW: Transitions = {
  scored: { approve: 'approved', withdraw: 'withdrawn' },
  approved: { recheck: 'rechecked', withdraw: 'withdrawn' },
  rechecked: { publicise: 'in_publicity', withdraw: 'withdrawn' },
  ...PUBLICITY_AND_AFTER,
};

/** Hospitals and outpatient departments are scored by the city itself and go straight to publicity. */
const CITY_SCORED_FLOW: Transitions = {
  scored: { publicise: 'in_publicity', withdraw: 'withdrawn' },
  ...PUBLICITY_AND_AFTER,
};

/**
 * The flow of a kind: the clinic path (district approval and city re-check) for the kinds a district
 * scores, straight to publicity for those the city scores (the rulebook's `kinds[].scoredBy`; Hangzhou:
 * clinics by the district, hospitals and outpatient departments by the city).
 */
export function resultTransitions(kind: Kind): Transitions {
  return scoredBy(kind) === 'district' ? CLINIC_FLOW : CITY_SCORED_FLOW;
}

/** The status after `action`, or null when the action is not legal from `from` for this kind of institution. */
export function nextStatus(kind: Kind, from: ResultStatus, action: ResultAction): ResultStatus | null {
  return resultTransitions(kind)[from]?.[action] ?? null;
}

/** The actions legal from a status, in RESULT_ACTIONS order. */
export function legalActions(kind: Kind, from: ResultStatus): ResultAction[] {
  return RESULT_ACTIONS.filter((action) => nextStatus(kind, from, action) !== null);
}

/** Published and withdrawn results are never changed again (DOMAIN.md step 5). */
export function isFinalStatus(status: ResultStatus): boolean {
  return status === 'published' || status === 'withdrawn';
}

/** Publicity is over once the day after `endOn` has begun (it ends at 24:00 of `endOn`, DOMAIN.md). */
export function publicityHasEnded(endOn: LocalDate, today: LocalDate): boolean {
  return today > endOn;
}

/**
 * The status as it stands today: a result still stored as in_publicity whose `endOn` has passed is
 * publicity_ended, so publication need not wait for the job that records the end.
 */
export function effectiveStatus(
  status: ResultStatus,
  endOn: LocalDate | null | undefined,
  today: LocalDate,
): ResultStatus {
  return status === 'in_publicity' && endOn && publicityHasEnded(endOn, today) ? 'publicity_ended' : status;
}

/** The operation of the permission table that takes each action; end_publicity is the system job's alone. */
const ACTION_OPERATIONS: Record<Exclude<ResultAction, 'end_publicity'>, OperationId> = {
  approve: 'postV1AdminAssessmentsByIdApprove',
  recheck: 'postV1AdminAssessmentsByIdRecheck',
  publicise: 'postV1AdminAssessmentsByIdPublicity',
  publish: 'postV1AdminAssessmentsByIdPublish',
  withdraw: 'postV1AdminAssessmentsByIdWithdraw',
};

/** Actions the scheduled jobs may take on their own. */
export const SYSTEM_ACTIONS: readonly ResultAction[] = ['end_publicity'];

/**
 * Whether the caller may take `action` on a result of an institution of this kind and district: the
 * permission table's entry for the action's operation (shared/domain/permissions.ts). Whether the
 * action is legal from the current status is nextStatus's question, not this one's.
 */
export function authoriseAction(
  actor: ActingParty,
  target: { action: ResultAction; kind: Kind; district: string },
): Authorisation {
  const { action, kind, district } = target;
  if (actor.role === 'system') {
    return SYSTEM_ACTIONS.includes(action)
      ? { allowed: true }
      : { allowed: false, reason: `the system may not ${action} a result` };
  }
  if (action === 'end_publicity')
    return { allowed: false, reason: 'publicity ends by itself (the daily job)' };
  return authorise(ACTION_OPERATIONS[action], actor, { institution: { kind, district } });
}
