import { downgradeLiftedBy, downgradeTarget } from './downgrade.ts';
import { ConflictError, RuleViolationError } from './errors.ts';
import { effectiveStatus, legalActions, nextStatus, type ResultAction } from './lifecycle.ts';
import type { Grade, Kind, LocalDate, ResultReason, ResultStatus, Severity } from './types.ts';
import { checkUpgradeEligibility } from './upgrade.ts';

/**
 * Every action of the grading lifecycle and what must hold before it is taken, in one table: each
 * path that changes state (HTTP, imports, scheduled jobs) asks `refusal` before its write, and a
 * refusal names the precondition that failed. `docs/lifecycle.md` is rendered from this table.
 */

export const LIFECYCLE_ACTIONS = [
  'score',
  'approve',
  'recheck',
  'publicise',
  'object',
  'end_publicity',
  'publish',
  'withdraw',
  'record_violation',
  'close',
  'apply_upgrade',
  'decide_upgrade',
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** The route that turns an accepted upgrade application into a result. */
export const UPGRADE_ROUTE =
  'POST /v1/institutions/{uscc}/upgrade-applications, then POST /v1/admin/upgrade-applications/{id}/decision';

/** A violation recorded against the institution, as the preconditions read it. */
export interface ViolationFact {
  occurredOn: LocalDate;
  severity: Severity;
  /** The institution's grade when the violation was recorded; null before its first publication. */
  gradeBefore: Grade | null;
  /** The grade the violation's downgrade set; null when it downgraded nothing (no grade, minor, D). */
  gradeAfter: Grade | null;
  recordedOn: LocalDate;
}

/** What the preconditions are evaluated against; each action fills what its preconditions read. */
export interface LifecycleFacts {
  today: LocalDate;
  institution: {
    closed: boolean;
    /** The current (published or downgraded) grade. */
    grade: Grade | null;
    /** Calendar years in which it applied for an upgrade. */
    upgradeYears?: readonly number[];
    upgradeBanUntil?: LocalDate | null;
  };
  result?: {
    id: string;
    kind: Kind;
    status: ResultStatus;
    grade: Grade;
    assessedOn: LocalDate;
    publicity: { startOn: LocalDate; endOn: LocalDate } | null;
  };
  /** score: the reason given. */
  reason?: ResultReason;
  /** score: the result comes from an accepted upgrade application. */
  fromApplication?: boolean;
  /** publicise: another result of the institution whose publicity runs until this day. */
  otherPublicityUntil?: { resultId: string; endOn: LocalDate } | null;
  /** publicise: whether the working-day calendar covers the whole window. */
  calendarCovers?: boolean;
  /** publish: objections still open. */
  openObjections?: number;
  /** publish: the institution's recorded violations. */
  violations?: readonly ViolationFact[];
  /** decide_upgrade: the application's status. */
  applicationStatus?: string;
}

export interface Precondition {
  code: string;
  /** 409: conflicts with the current state; 422: refused by a rule. */
  status: 409 | 422;
  /** What must hold, as the rules page states it. */
  rule: string;
  holds(f: LifecycleFacts, action: LifecycleAction): boolean;
  /** Why it failed, for the refusal. */
  why(f: LifecycleFacts, action: LifecycleAction): string;
}

const STEP: Partial<Record<LifecycleAction, ResultAction>> = {
  approve: 'approve',
  recheck: 'recheck',
  publicise: 'publicise',
  end_publicity: 'end_publicity',
  publish: 'publish',
  withdraw: 'withdraw',
};

function mustResult(f: LifecycleFacts) {
  if (!f.result) throw new Error('this precondition needs the result');
  return f.result;
}

/** The status the step starts from: publicity past its `endOn` has ended, whether or not the job recorded it. */
const statusFor = (f: LifecycleFacts, action: LifecycleAction) => {
  const r = mustResult(f);
  return action === 'end_publicity' ? r.status : effectiveStatus(r.status, r.publicity?.endOn, f.today);
};

/**
 * The grade a result of an institution without a grade may be published at, at most: a violation on
 * or after its assessment lowers the proposed grade as it would have lowered a published one (first
 * publicity, decided). Null when nothing lowers it.
 */
export function firstPublicityCap(
  result: { grade: Grade; assessedOn: LocalDate },
  violations: readonly ViolationFact[],
): { grade: Grade; violation: ViolationFact } | null {
  // Cumulative, in the order they happened, as downgrades of a graded institution are (docs/lifecycle.md).
  const since = violations
    .filter((v) => v.occurredOn >= result.assessedOn && v.gradeBefore === null)
    .sort((x, y) => (x.occurredOn < y.occurredOn ? -1 : x.occurredOn > y.occurredOn ? 1 : 0));
  let cap: { grade: Grade; violation: ViolationFact } | null = null;
  for (const v of since) {
    const lowered = downgradeTarget(cap?.grade ?? result.grade, v.severity);
    if (lowered) cap = { grade: lowered, violation: v };
  }
  return cap;
}

export const PRECONDITIONS = {
  'institution-open': {
    code: 'institution-open',
    status: 409,
    rule: 'the institution is not closed',
    holds: (f) => !f.institution.closed,
    why: (_f, action) =>
      action === 'close'
        ? 'the institution is already closed (机构已注销/停业)'
        : 'the institution is closed (机构已注销/停业)',
  },
  'scored-directly': {
    code: 'upgrade-via-application',
    status: 422,
    rule: `reason \`upgrade\` only from an accepted upgrade application (${UPGRADE_ROUTE})`,
    holds: (f) => f.reason !== 'upgrade' || f.fromApplication === true,
    why: () =>
      `an upgrade result comes only from an accepted upgrade application: ${UPGRADE_ROUTE} (主动升级须经申请)`,
  },
  'step-legal': {
    code: 'step-not-legal',
    status: 409,
    rule: "the result's status allows the step (the flow of its kind: clinics are approved and re-checked first)",
    holds: (f, action) =>
      nextStatus(mustResult(f).kind, statusFor(f, action), STEP[action] ?? 'withdraw') !== null,
    why: (f, action) => {
      const from = statusFor(f, action);
      const legal = legalActions(mustResult(f).kind, from);
      return `cannot ${STEP[action] ?? action} assessment ${mustResult(f).id}: it is ${from} (当前状态不能进行此步骤); possible now: ${legal.length > 0 ? legal.join(', ') : 'nothing (final)'}`;
    },
  },
  'no-other-publicity': {
    code: 'other-publicity-running',
    status: 409,
    rule: 'no other result of the institution is in publicity',
    holds: (f) => !f.otherPublicityUntil,
    why: (f) =>
      `assessment ${f.otherPublicityUntil?.resultId} of this institution is already in publicity until ${f.otherPublicityUntil?.endOn}`,
  },
  'calendar-covers': {
    code: 'calendar-not-covered',
    status: 422,
    rule: "the working-day calendar covers the whole window (the year's data file is installed)",
    holds: (f) => f.calendarCovers !== false,
    why: () =>
      "the working-day calendar does not cover this publicity's 5 working days; the operator adds the next year's official schedule (docs/calendar.md)",
  },
  'in-publicity': {
    code: 'not-in-publicity',
    status: 409,
    rule: 'the result is in publicity',
    holds: (f) => mustResult(f).status === 'in_publicity' && mustResult(f).publicity !== null,
    why: (f) =>
      `assessment ${mustResult(f).id} is not in publicity; objections are taken only during publicity`,
  },
  'publicity-started': {
    code: 'publicity-not-started',
    status: 409,
    rule: 'publicity has begun (`startOn` ≤ today)',
    holds: (f) => (mustResult(f).publicity?.startOn ?? f.today) <= f.today,
    why: (f) =>
      `the publicity of assessment ${mustResult(f).id} begins on ${mustResult(f).publicity?.startOn}; objections are taken only during publicity`,
  },
  'publicity-running': {
    code: 'publicity-over',
    status: 409,
    rule: 'publicity has not ended (today ≤ `endOn`)',
    holds: (f) => f.today <= (mustResult(f).publicity?.endOn ?? f.today),
    why: (f) =>
      `the publicity of assessment ${mustResult(f).id} ended at 24:00 of ${mustResult(f).publicity?.endOn} (公示期满); objections are taken only during publicity`,
  },
  'publicity-ended': {
    code: 'publicity-not-ended',
    status: 409,
    rule: 'publicity has ended (today > `endOn`)',
    holds: (f) => {
      const r = mustResult(f);
      return r.status !== 'in_publicity' || (r.publicity !== null && f.today > r.publicity.endOn);
    },
    why: (f) =>
      `publicity runs until 24:00 of ${mustResult(f).publicity?.endOn}; the result can be published from the next day (公示期未满)`,
  },
  'no-open-objections': {
    code: 'objections-open',
    status: 409,
    rule: 'no objection is still open',
    holds: (f) => (f.openObjections ?? 0) === 0,
    why: (f) =>
      `${f.openObjections} objection(s) are still open; decide them before publishing (存在未处理的异议)`,
  },
  'downgrade-not-lifted': {
    code: 'downgrade-stands',
    status: 409,
    rule: 'no downgrade for a violation on or after the assessment date sets a lower grade than the result',
    holds: (f) => downgradeLiftedBy(mustResult(f), f.violations ?? []) === null,
    why: (f) => {
      const r = mustResult(f);
      const d = downgradeLiftedBy(r, f.violations ?? []);
      return `the downgrade to ${d?.gradeAfter} for the violation of ${d?.occurredOn} (recorded ${d?.recordedOn}) stands: this result, assessed on ${r.assessedOn} with grade ${r.grade}, may not lift it; score it again after the violation (降级后须重新评分)`;
    },
  },
  'upgradable-grade': eligibility('grade_not_eligible', 'the current grade may apply (B or C)'),
  'not-banned': eligibility('banned', 'no 2-year ban after an untrue self-assessment runs today'),
  'once-a-year': eligibility('already_applied_this_year', 'no application yet this calendar year'),
  'application-pending': {
    code: 'application-decided',
    status: 409,
    rule: 'the application is still pending',
    holds: (f) => f.applicationStatus === 'pending',
    why: (f) => `the upgrade application was already decided (${f.applicationStatus})`,
  },
} satisfies Record<string, Precondition>;

export type PreconditionName = keyof typeof PRECONDITIONS;

function eligibility(
  rule: 'grade_not_eligible' | 'banned' | 'already_applied_this_year',
  text: string,
): Precondition {
  const check = (f: LifecycleFacts) => {
    const year = Number(f.today.slice(0, 4));
    return checkUpgradeEligibility({
      grade: f.institution.grade,
      today: f.today,
      applicationsThisYear: (f.institution.upgradeYears ?? []).filter((y) => y === year).length,
      banUntil: f.institution.upgradeBanUntil ?? null,
    });
  };
  return {
    code: rule,
    status: 422,
    rule: text,
    holds: (f) => {
      const e = check(f);
      return e.eligible || e.rule !== rule;
    },
    why: (f) => {
      const e = check(f);
      return e.eligible ? '' : e.reason;
    },
  };
}

/** The table: each action's preconditions, checked in this order (the first that fails is named). */
export const LIFECYCLE_TABLE: Record<LifecycleAction, readonly PreconditionName[]> = {
  score: ['institution-open', 'scored-directly'],
  approve: ['institution-open', 'step-legal'],
  recheck: ['institution-open', 'step-legal'],
  publicise: ['institution-open', 'step-legal', 'no-other-publicity', 'calendar-covers'],
  object: ['institution-open', 'in-publicity', 'publicity-started', 'publicity-running'],
  end_publicity: ['publicity-ended', 'step-legal'],
  publish: [
    'institution-open',
    'publicity-ended',
    'step-legal',
    'no-open-objections',
    'downgrade-not-lifted',
  ],
  withdraw: ['step-legal'],
  record_violation: [],
  close: ['institution-open'],
  apply_upgrade: ['institution-open', 'upgradable-grade', 'not-banned', 'once-a-year'],
  decide_upgrade: ['institution-open', 'application-pending'],
};

export interface Refusal {
  action: LifecycleAction;
  precondition: PreconditionName;
  code: string;
  status: 409 | 422;
  message: string;
  /** Facts a caller may act on (the end of an upgrade ban). */
  details: Record<string, unknown>;
}

/** The first precondition of `action` that does not hold, or null when the action may be taken. */
export function refusal(action: LifecycleAction, facts: LifecycleFacts): Refusal | null {
  for (const name of LIFECYCLE_TABLE[action]) {
    const p: Precondition = PRECONDITIONS[name];
    if (!p.holds(facts, action)) {
      const banUntil = name === 'not-banned' ? facts.institution.upgradeBanUntil : null;
      return {
        action,
        precondition: name,
        code: p.code,
        status: p.status,
        message: p.why(facts, action),
        details: banUntil ? { banUntil } : {},
      };
    }
  }
  return null;
}

/** Every cell of the table: the number of (action, precondition) pairs. */
export const preconditionCount = () => Object.values(LIFECYCLE_TABLE).reduce((n, list) => n + list.length, 0);

/** Throws the refusal of `action` (409 ConflictError or 422 RuleViolationError, naming the precondition), if any. */
export function enforce(action: LifecycleAction, facts: LifecycleFacts): void {
  const r = refusal(action, facts);
  if (!r) return;
  if (r.status === 422) {
    throw new RuleViolationError(r.message, r.code, { precondition: r.precondition, ...r.details });
  }
  throw new ConflictError(r.message, r.precondition);
}

const ACTION_WORDS: Record<LifecycleAction, string> = {
  score: 'score (评分)',
  approve: 'approve (审定, clinics)',
  recheck: 're-check (复核, clinics)',
  publicise: 'schedule publicity (公示)',
  object: 'object (异议)',
  end_publicity: 'end publicity (job)',
  publish: 'publish (审核确认、公布)',
  withdraw: 'withdraw',
  record_violation: 'record a violation',
  close: 'close the institution',
  apply_upgrade: 'apply for an upgrade',
  decide_upgrade: 'decide an upgrade application',
};

/** The table as the rules page shows it (Markdown), one row per action and precondition. */
export function renderLifecycleTable(): string {
  const rows = ['| action | precondition (checked in this order) | refused with |', '|---|---|---|'];
  for (const action of LIFECYCLE_ACTIONS) {
    const names = LIFECYCLE_TABLE[action];
    if (names.length === 0) rows.push(`| ${ACTION_WORDS[action]} | none (always recorded) | — |`);
    for (const [i, name] of names.entries()) {
      const p: Precondition = PRECONDITIONS[name];
      rows.push(
        `| ${i === 0 ? ACTION_WORDS[action] : ''} | \`${name}\`: ${p.rule} | ${p.status === 422 ? `422 \`${p.code}\`` : '409'} |`,
      );
    }
  }
  return `${rows.join('\n')}\n\n${preconditionCount()} preconditions over ${LIFECYCLE_ACTIONS.length} actions.\n`;
}
