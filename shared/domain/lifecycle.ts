import { scoredBy } from './rules.ts';
import type { Actor, Kind, LocalDate, ResultStatus, Role } from './types.ts';

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

/** Roles allowed to take each action; end_publicity may also be taken by the system job. */
export const ACTION_ROLES: Record<ResultAction, Role[]> = {
  approve: ['district_admin'],
  recheck: ['city'],
  publicise: ['city'],
  end_publicity: ['city'],
  publish: ['guidance'],
  withdraw: ['city'],
};

/** Actions the scheduled jobs may take on their own. */
export const SYSTEM_ACTIONS: readonly ResultAction[] = ['end_publicity'];

/** The caller, as far as authorisation needs it (claims from the token). */
export type ActingParty = { role: Actor['role']; district?: string | undefined; uscc?: string | undefined };

export type Authorisation = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: Authorisation = { allowed: true };

function refuse(reason: string): Authorisation {
  return { allowed: false, reason };
}

/** District roles act only on clinics of their own district (API.md). */
function ownDistrictClinic(actor: ActingParty, institution: { kind: Kind; district: string }): Authorisation {
  if (scoredBy(institution.kind) !== 'district') {
    return refuse(
      'a district role acts only on clinics; hospitals and outpatient departments are the city’s (区级仅负责诊所)',
    );
  }
  if (!actor.district) return refuse('the token carries no district claim (令牌缺少所属区县)');
  if (actor.district !== institution.district) {
    return refuse(
      `a ${actor.district} officer may not act on a clinic in ${institution.district} (只能处理本辖区的诊所)`,
    );
  }
  return ALLOWED;
}

/**
 * Whether the caller may take `action` on a result of an institution of this kind and district.
 * Whether the action is legal from the current status is nextStatus's question, not this one's.
 */
export function authoriseAction(
  actor: ActingParty,
  target: { action: ResultAction; kind: Kind; district: string },
): Authorisation {
  const { action } = target;
  if (actor.role === 'system') {
    return SYSTEM_ACTIONS.includes(action) ? ALLOWED : refuse(`the system may not ${action} a result`);
  }
  const roles: readonly string[] = ACTION_ROLES[action];
  if (!roles.includes(actor.role)) {
    // Stryker disable next-line StringLiteral: every action has one role in the table, so the separator never shows
    return refuse(`only ${ACTION_ROLES[action].join(' or ')} may ${action} a result, not ${actor.role}`);
  }
  return actor.role === 'district_admin' ? ownDistrictClinic(actor, target) : ALLOWED;
}

/**
 * Who scores (DOMAIN.md step 1): the city institute hospitals and outpatient departments, a district
 * institute the clinics of its own district (decided: the city does not score clinics).
 */
export function canScore(actor: ActingParty, institution: { kind: Kind; district: string }): Authorisation {
  if (actor.role === 'city') {
    return scoredBy(institution.kind) === 'district'
      ? refuse('clinics are scored by the district institute of their district (诊所由所在区县监督机构评分)')
      : ALLOWED;
  }
  if (actor.role === 'district') return ownDistrictClinic(actor, institution);
  return refuse(`${actor.role} may not score institutions`);
}

/** Who registers an institution (API.md): the city any kind; a district institute clinics of its district. */
export function canRegister(
  actor: ActingParty,
  institution: { kind: Kind; district: string },
): Authorisation {
  if (actor.role === 'city') return ALLOWED;
  if (actor.role === 'district') return ownDistrictClinic(actor, institution);
  return refuse(`${actor.role} may not register institutions`);
}

/** Who records a violation (API.md): the same as who registers. */
export function canRecordViolation(
  actor: ActingParty,
  institution: { kind: Kind; district: string },
): Authorisation {
  const registering = canRegister(actor, institution);
  return registering.allowed || actor.role === 'district'
    ? registering
    : refuse(`${actor.role} may not record violations`);
}

/** An institution applies for an upgrade only for itself (API.md). */
export function canApplyForUpgrade(actor: ActingParty, uscc: string): Authorisation {
  if (actor.role !== 'institution') return refuse('only the institution itself may apply for an upgrade');
  if (actor.uscc !== uscc) return refuse('an institution may apply only for itself (只能为本机构申请)');
  return ALLOWED;
}
