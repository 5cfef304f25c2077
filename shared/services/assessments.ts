import { createHash, randomUUID } from 'node:crypto';
import { shanghaiIso } from '../domain/dates.ts';
import {
  CalendarNotCoveredError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';
import { breakdownProblems, gradeForScore } from '../domain/grading.ts';
import { authoriseAction, effectiveStatus, nextStatus, type ResultAction } from '../domain/lifecycle.ts';
import type { GradingResult, Objection } from '../domain/model.ts';
import { enforce, firstPublicityCap, type LifecycleFacts, refusal } from '../domain/preconditions.ts';
import { nextReviewDue } from '../domain/review.ts';
import { rulesOf, rulesOn } from '../domain/rules.ts';
import type { Actor, LocalDate } from '../domain/types.ts';
import { retryOnConflict } from '../store/retry-on-conflict.ts';
import { mustGetProfile, requireScope, type WorkflowDeps } from './context.ts';
import { project, type WorkflowResult } from './result-projection.ts';

/**
 * Scoring and the steps of a result's life (DOMAIN.md "Life of a grading result"): each checks the
 * lifecycle table (domain/preconditions.ts) before its write; what follows from the write is
 * result-projection.ts's.
 */

export interface ScoreInput {
  uscc: string;
  score: number;
  breakdown?: Record<string, number> | undefined;
  assessedOn: LocalDate;
  reason: 'initial' | 'review' | 'upgrade';
  assessor?: string | undefined;
  delegatedTo?: string | undefined;
}

export interface ScoreOptions {
  /** A deterministic id makes re-running the same scoring (an import, an accepted application) a no-op. */
  id?: string;
  applicationId?: string;
  /** The city turning an accepted upgrade application into an assessment scores any kind. */
  asUpgradeDecision?: boolean;
}

export async function mustGetResult(deps: WorkflowDeps, id: string): Promise<WorkflowResult> {
  const result = await deps.results.get(id);
  if (!result) throw new NotFoundError(`no assessment with id ${id}`);
  return result;
}

/** Field problems of a scoring, all of them (400). */
export function scoreProblems(input: ScoreInput, today: LocalDate) {
  const problems = input.breakdown ? breakdownProblems(input.score, input.breakdown) : [];
  if (input.assessedOn > today) {
    problems.push({
      path: 'assessedOn',
      message: `the assessment date ${input.assessedOn} is in the future`,
    });
  }
  return problems;
}

/**
 * Scores an institution (评分): a new result in status `scored`. Commit point: the result's put. With
 * a deterministic id (an `Idempotency-Key`, an import row, an upgrade application) a retry answers 409
 * after finishing the audit entry; without one a retry scores again and the city withdraws the duplicate.
 */

/** The id of a scoring sent with an `Idempotency-Key`: the same caller and key make the same id. */
export function scoringId(subject: string, idempotencyKey: string): string {
  return `sc-${createHash('sha256').update(`${subject}\u0000${idempotencyKey}`).digest('hex').slice(0, 24)}`;
}
export async function scoreAssessment(
  deps: WorkflowDeps,
  actor: Actor,
  input: ScoreInput,
  opts: ScoreOptions = {},
): Promise<WorkflowResult> {
  const profile = await mustGetProfile(deps, input.uscc);
  if (!opts.asUpgradeDecision) {
    requireScope('postV1AdminAssessments', actor, { institution: profile });
  }
  const today = deps.clock.today();
  enforce('score', {
    today,
    institution: profile,
    reason: input.reason,
    fromApplication: opts.applicationId !== undefined,
  });
  const problems = scoreProblems(input, today);
  if (problems.length > 0) {
    throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  }
  const now = shanghaiIso(deps.clock.now());
  // Graded by the revision in force on the assessment date, which the result keeps (docs/rulebook.md).
  const rules = rulesOn(input.assessedOn);
  const result: WorkflowResult = {
    id: opts.id ?? randomUUID(),
    uscc: profile.uscc,
    kind: profile.kind,
    district: profile.district,
    status: 'scored',
    score: input.score,
    grade: gradeForScore(input.score, rules),
    breakdown: input.breakdown ?? null,
    reason: input.reason,
    assessedOn: input.assessedOn,
    revision: rules.id,
    assessor: input.assessor ?? null,
    delegatedTo: input.delegatedTo ?? null,
    publicity: null,
    openObjections: 0,
    publishedOn: null,
    nextReviewDue: null,
    createdAt: now,
    createdBy: actor.subject,
    version: 1,
    updatedAt: now,
    lastAction: 'score',
    lastActor: actor,
    lastActionAt: now,
    previousStatus: null,
    applicationId: opts.applicationId ?? null,
  };
  try {
    await deps.results.create(result);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    // The same scoring was created before (a retry with the same id): finish it, then say so.
    await project(deps, await mustGetResult(deps, result.id));
    throw new ConflictError(`assessment ${result.id} was already created by an earlier request`);
  }
  await project(deps, result);
  return result;
}

/** Open objections of a result, counted from the objection items themselves. */
export async function openObjections(deps: WorkflowDeps, resultId: string): Promise<Objection[]> {
  return (await deps.workflow.listObjections(resultId)).filter((o) => o.status === 'open');
}

/** What a step reads beyond the result, and the change it makes to it. */
export interface StepOptions {
  /** The facts the step's preconditions read beyond the result and the institution. */
  facts?: (r: WorkflowResult, today: LocalDate) => Promise<Partial<LifecycleFacts>>;
  change?: (
    r: WorkflowResult,
    today: LocalDate,
    facts: LifecycleFacts,
  ) => Partial<WorkflowResult> | Promise<Partial<WorkflowResult>>;
  /** The step follows from an action already authorised (closing the institution withdraws its results). */
  authorised?: boolean;
}

/**
 * One step of the lifecycle. Commit point: the result's write, conditional on the version and status
 * read, so of racing requests exactly one applies it. Everything after it is `project`, which a retry
 * runs again before answering 409 (the step is no longer legal from the new state).
 */
export async function takeStep(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  action: ResultAction,
  opts: StepOptions = {},
): Promise<WorkflowResult> {
  // A write that lost to another change (the publicity job recording the end of publicity, an
  // objection counter) is decided again on the new state: the caller gets 409 only when the step is
  // no longer legal or a rule refuses it, never for bookkeeping it cannot act on.
  const stored = await retryOnConflict(
    async () => {
      const result = await mustGetResult(deps, id);
      if (!opts.authorised) {
        const auth = authoriseAction(actor, { action, kind: result.kind, district: result.district });
        if (!auth.allowed) throw new ForbiddenError(auth.reason);
      }
      const today = deps.clock.today();
      const profile = await mustGetProfile(deps, result.uscc);
      const facts: LifecycleFacts = {
        today,
        institution: profile,
        result,
        ...(await opts.facts?.(result, today)),
      };
      const refused = refusal(action, facts);
      // A retry of a step that was taken finishes its projection before it is told so.
      if (refused?.precondition === 'step-legal') await project(deps, result);
      enforce(action, facts);
      const to = nextStatus(
        result.kind,
        effectiveStatus(result.status, result.publicity?.endOn, today),
        action,
      );
      // Stryker disable next-line ConditionalExpression,StringLiteral: enforce's step-legal precondition above asks the same nextStatus of the same status and refuses first
      if (!to) throw new ConflictError(`cannot ${action} assessment ${id}`, 'step-legal');
      const changed = await opts.change?.(result, today, facts);
      const now = shanghaiIso(deps.clock.now());
      return deps.results.replace(result, {
        ...result,
        ...changed,
        status: to,
        updatedAt: now,
        lastAction: action,
        lastActor: actor,
        lastActionAt: now,
        previousStatus: result.status,
      } as Omit<GradingResult, 'version'>);
    },
    { attempts: STEP_ATTEMPTS },
  );
  await project(deps, stored);
  return stored;
}

/** Attempts of one lifecycle step whose conditional write lost to a concurrent change. */
const STEP_ATTEMPTS = 4;

export const approveAssessment = (deps: WorkflowDeps, actor: Actor, id: string) =>
  takeStep(deps, actor, id, 'approve');

export const recheckAssessment = (deps: WorkflowDeps, actor: Actor, id: string) =>
  takeStep(deps, actor, id, 'recheck');

export const withdrawAssessment = (deps: WorkflowDeps, actor: Actor, id: string) =>
  takeStep(deps, actor, id, 'withdraw');

/** The publicity window from `postedOn`, or null when the calendar does not cover it (a precondition). */
function windowFrom(deps: WorkflowDeps, postedOn: LocalDate, r: WorkflowResult) {
  try {
    return deps.calendar.publicityWindow(postedOn, rulesOf(r));
  } catch (err) {
    if (err instanceof CalendarNotCoveredError) return null;
    throw err;
  }
}

/** Starts publicity (公示): the result's revision's working days (Hangzhou 5) from `startOn` (default today), see calendar.publicityWindow. */
export async function publiciseAssessment(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  startOn?: LocalDate,
): Promise<WorkflowResult> {
  return takeStep(deps, actor, id, 'publicise', {
    facts: async (r, today) => {
      const posted = startOn ?? today;
      if (posted < today) {
        throw new ValidationError(`startOn ${posted} is in the past`, [
          { path: 'startOn', message: `must be today (${today}) or later` },
        ]);
      }
      const other = (await mustGetProfile(deps, r.uscc)).publicity;
      return {
        otherPublicityUntil:
          other &&
          // Stryker disable next-line ConditionalExpression: step-legal is checked first, and a result that may be publicised (scored or rechecked) is never the one the profile shows in publicity
          other.resultId !== r.id &&
          today <= other.endOn
            ? { resultId: other.resultId, endOn: other.endOn }
            : null,
        calendarCovers: windowFrom(deps, posted, r) !== null,
      };
    },
    change: (r, today) => ({ publicity: windowFrom(deps, startOn ?? today, r) }),
  });
}

/**
 * Confirms and publishes (审核确认、公布): only after publicity has ended and with no open objection.
 * An objection lodged while this runs bumps the result's version, so the conditional write fails.
 * A first result is published no higher than a violation since its assessment allows (firstPublicityCap).
 */
export async function publishAssessment(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
): Promise<WorkflowResult> {
  return takeStep(deps, actor, id, 'publish', {
    facts: async (r) => ({
      openObjections: (await openObjections(deps, r.id)).length,
      violations: await deps.workflow.listViolations(r.uscc),
    }),
    change: (r, today, facts) => {
      // Stryker disable next-line ArrayDeclaration: the facts above always list the violations
      const cap = firstPublicityCap(r, facts.violations ?? []);
      const grade = cap ? cap.grade : r.grade;
      return {
        grade,
        ...(cap && { proposedGrade: r.grade }),
        publishedOn: today,
        nextReviewDue: nextReviewDue(today, grade, rulesOf(r)),
        openObjections: 0,
      };
    },
  });
}

/** A result with its objections, for regulators. */
export async function getAssessment(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
): Promise<{ result: WorkflowResult; objections: Objection[] }> {
  const result = await mustGetResult(deps, id);
  requireScope('getV1AdminAssessmentsById', actor, { institution: result });
  return { result, objections: await deps.workflow.listObjections(id) };
}
