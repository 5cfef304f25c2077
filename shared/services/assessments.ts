import { createHash, randomUUID } from 'node:crypto';
import { shanghaiIso } from '../domain/dates.ts';
import { downgradedDueDate, downgradeLiftedBy } from '../domain/downgrade.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { breakdownProblems, gradeForScore } from '../domain/grading.ts';
import {
  authoriseAction,
  canScore,
  effectiveStatus,
  legalActions,
  nextStatus,
  publishRefusal,
  type ResultAction,
} from '../domain/lifecycle.ts';
import type { GradingResult, InstitutionProfile, Objection } from '../domain/model.ts';
import { firstPendingReminder, isReviewOverdue, nextReviewDue } from '../domain/review.ts';
import { rulesOf, rulesOn } from '../domain/rules.ts';
import type { Actor, LocalDate, ResultStatus } from '../domain/types.ts';
import type { NewChangeEvent } from '../store/events.ts';
import type { StoredViolation } from '../store/workflow.ts';
import {
  appendEvent,
  mustGetProfile,
  notify,
  recordAudit,
  requireSight,
  updateProfile,
  type WorkflowDeps,
} from './context.ts';
import { downgradedProfile, downgradeEvent } from './violations.ts';

/** A result as this workflow stores it: who took the last step, so a retry can finish its audit entry. */
export type WorkflowResult = GradingResult & {
  lastAction?: string;
  lastActor?: Actor;
  /** When the last step was taken; objection counters change `updatedAt` but not this. */
  lastActionAt?: string;
  previousStatus?: ResultStatus | null;
  /** The upgrade application an assessment came from. */
  applicationId?: string | null;
};

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
    const auth = canScore(actor, profile);
    if (!auth.allowed) throw new ForbiddenError(auth.reason);
  }
  if (profile.closed) throw new ConflictError(`institution ${profile.uscc} is closed (${profile.closedOn})`);
  const today = deps.clock.today();
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

/** What the audit keeps of a result. */
function auditView(r: WorkflowResult) {
  return {
    resultId: r.id,
    status: r.status,
    grade: r.grade,
    score: r.score,
    breakdown: r.breakdown,
    reason: r.reason,
    revision: r.revision ?? null,
    publicity: r.publicity,
    publishedOn: r.publishedOn,
    nextReviewDue: r.nextReviewDue,
  };
}

function publicityOf(r: GradingResult) {
  if (!r.publicity) throw new Error(`result ${r.id} is in publicity without dates`);
  return { resultId: r.id, proposedGrade: r.grade, score: r.score, ...r.publicity };
}

/**
 * Brings everything that follows from a result's current state in line with it: the audit entry of
 * its last step, the public profile, the change event and the notices. Each part checks whether it
 * is already done, so running this again (a retry, a racing request) adds nothing.
 */
export async function project(deps: WorkflowDeps, r: WorkflowResult): Promise<void> {
  if (r.lastAction && r.lastActor) {
    await recordAudit(deps, {
      // Each action happens at most once in a result's life, so action and id name the entry.
      id: `${r.lastAction}:${r.id}`,
      uscc: r.uscc,
      at: r.lastActionAt ?? r.updatedAt,
      actor: r.lastActor,
      action: `assessment.${r.lastAction}`,
      before: r.previousStatus ? { resultId: r.id, status: r.previousStatus } : null,
      after: auditView(r),
    });
  }
  if (r.status === 'in_publicity') await projectPublicity(deps, r);
  else if (r.status === 'published') await projectPublished(deps, r);
  else if (r.status === 'withdrawn') await projectWithdrawn(deps, r);
}

async function projectPublicity(deps: WorkflowDeps, r: WorkflowResult) {
  const publicity = publicityOf(r);
  const profile = await updateProfile(deps, r.uscc, (p) =>
    JSON.stringify(p.publicity) === JSON.stringify(publicity) || p.history.some((h) => h.resultId === r.id)
      ? null
      : { ...p, publicity },
  );
  // Publicity posted for a later day starts on that day: the publicity job appends its event and
  // sends its notice then (jobs/publicity.ts).
  if (publicity.startOn > deps.clock.today()) return;
  await appendEvent(deps, publicityStartedEvent(r, r.lastActionAt ?? r.updatedAt));
  await notify(deps, [
    {
      uscc: r.uscc,
      kind: 'publicity_started',
      cycle: r.id,
      params: {
        name: profile.name,
        grade: r.grade,
        score: r.score,
        startOn: publicity.startOn,
        endOn: publicity.endOn,
      },
      on: deps.clock.today(),
    },
  ]);
}

/** The `publicity_started` change event of a result in publicity, occurring at `at`. */
export function publicityStartedEvent(r: GradingResult, at: string): NewChangeEvent {
  return {
    key: `publicity_started:${r.id}`,
    type: 'publicity_started',
    uscc: r.uscc,
    district: r.district,
    occurredAt: at,
    before: null,
    after: publicityOf(r),
  };
}

/** The history entry of a downgrade re-applied on top of an older result published after it. */
export const reappliedDowngradeId = (v: { downgradeResultId: string | null; id: string }, resultId: string) =>
  `${v.downgradeResultId ?? `dg-${v.id}`}@${resultId}`;

/**
 * The profile after publishing `r` (pure); null when it already shows it. `violations` are the
 * institution's recorded violations, read after the profile: a downgrade whose violation happened on
 * or after `r` was assessed stands (DOMAIN.md "Life of a grading result" 6), so when one raced this
 * publication past its check, the downgrade is applied on top of `r` in the same write: the profile
 * never shows the older result's grade over the downgrade, whatever the order of the two.
 */
export function publishedProfile(
  p: InstitutionProfile,
  r: WorkflowResult,
  today: LocalDate,
  violations: readonly StoredViolation[] = [],
): Omit<InstitutionProfile, 'version'> | null {
  if (p.history.some((h) => h.resultId === r.id)) return null;
  const due = r.nextReviewDue as LocalDate;
  const publishedOn = r.publishedOn as LocalDate;
  const published: Omit<InstitutionProfile, 'version'> = {
    ...p,
    grade: r.grade,
    score: r.score,
    publishedOn,
    currentResultId: r.id,
    nextReviewDue: due,
    reviewOverdue: false,
    nextReminder: p.closed ? null : firstPendingReminder(due, today, rulesOf(r)),
    history: [
      {
        resultId: r.id,
        grade: r.grade,
        score: r.score,
        publishedOn,
        reason: r.reason,
        ...(r.revision && { revision: r.revision }),
      },
      ...p.history,
    ],
    // Another result's publicity (a later re-review already posted) stays.
    publicity: p.publicity?.resultId === r.id ? null : p.publicity,
  };
  const standing = downgradeLiftedBy(r, violations);
  if (!standing?.gradeAfter || !standing.downgradeResultId) return published;
  const alreadyShown = p.history.some((h) => h.resultId === standing.downgradeResultId);
  if (!alreadyShown) {
    // The downgrade's own projection has not landed yet: land it now, on top; it will find itself done.
    return downgradedProfile({ ...published, version: p.version }, standing, today) ?? published;
  }
  const reDue = downgradedDueDate(due, standing.gradeAfter, standing.recordedOn);
  return {
    ...published,
    grade: standing.gradeAfter,
    currentResultId: standing.downgradeResultId,
    nextReviewDue: reDue,
    reviewOverdue: isReviewOverdue(reDue, today),
    nextReminder: p.closed ? null : firstPendingReminder(reDue, today),
    history: [
      {
        resultId: reappliedDowngradeId(standing, r.id),
        grade: standing.gradeAfter,
        score: r.score,
        publishedOn,
        reason: 'downgrade',
      },
      ...published.history,
    ],
  };
}

/**
 * The `published` event of `r` as the profile shows it (idempotent by key). A downgrade's projection
 * calls it too for the result right below it, so the feed keeps the history's order even when the
 * downgrade was applied on top of the result in the result's own write.
 */
export async function appendPublishedEvent(
  deps: WorkflowDeps,
  r: WorkflowResult,
  profile: InstitutionProfile,
): Promise<void> {
  const at = profile.history.findIndex((h) => h.resultId === r.id);
  const previous = at >= 0 ? profile.history[at + 1] : undefined;
  await appendEvent(deps, {
    key: `published:${r.id}`,
    type: 'published',
    uscc: r.uscc,
    district: r.district,
    occurredAt: r.lastActionAt ?? r.updatedAt,
    before: previous ? { grade: previous.grade, score: previous.score } : { grade: null, score: null },
    after: {
      resultId: r.id,
      grade: r.grade,
      score: r.score,
      reason: r.reason,
      publishedOn: r.publishedOn,
      nextReviewDue: r.nextReviewDue,
    },
  });
}

async function projectPublished(deps: WorkflowDeps, r: WorkflowResult) {
  const today = deps.clock.today();
  // Violations are read after the profile on every attempt, so a downgrade that landed on the profile
  // before this write is among them (its violation was committed before its projection).
  const profile = await updateProfile(
    deps,
    r.uscc,
    (p, violations) => publishedProfile(p, r, today, violations),
    { withViolations: true },
  );
  await appendPublishedEvent(deps, r, profile);
  const at = profile.history.findIndex((h) => h.resultId === r.id);
  // A downgrade applied on top of this result in the same write gets its event right after.
  const above = at > 0 ? profile.history[at - 1] : undefined;
  if (above?.reason === 'downgrade') {
    const violations = await deps.workflow.listViolations(r.uscc);
    const v = violations.find(
      (x) => x.downgradeResultId === above.resultId || reappliedDowngradeId(x, r.id) === above.resultId,
    );
    if (v) {
      const reapplied = v.downgradeResultId !== above.resultId;
      await appendEvent(
        deps,
        reapplied
          ? {
              ...downgradeEvent(v, r.district),
              key: `downgraded:${v.id}@${r.id}`,
              occurredAt: r.lastActionAt ?? r.updatedAt,
              before: { grade: r.grade },
              after: { ...downgradeEvent(v, r.district).after, nextReviewDue: profile.nextReviewDue },
            }
          : downgradeEvent(v, r.district),
      );
    }
  }
  await notify(deps, [
    {
      uscc: r.uscc,
      kind: 'result_published',
      cycle: r.id,
      params: { grade: r.grade, score: r.score, publishedOn: r.publishedOn, nextReviewDue: r.nextReviewDue },
      on: today,
    },
  ]);
}

async function projectWithdrawn(deps: WorkflowDeps, r: WorkflowResult) {
  await updateProfile(deps, r.uscc, (p) =>
    p.publicity?.resultId === r.id ? { ...p, publicity: null } : null,
  );
  if (!r.publicity) return;
  await appendEvent(deps, {
    key: `withdrawn:${r.id}`,
    type: 'withdrawn',
    uscc: r.uscc,
    district: r.district,
    occurredAt: r.lastActionAt ?? r.updatedAt,
    before: {
      resultId: r.id,
      status: r.previousStatus ?? 'in_publicity',
      proposedGrade: r.grade,
      score: r.score,
    },
    after: { resultId: r.id, status: 'withdrawn' },
  });
}

/** Open objections of a result, counted from the objection items themselves. */
export async function openObjections(deps: WorkflowDeps, resultId: string): Promise<Objection[]> {
  return (await deps.workflow.listObjections(resultId)).filter((o) => o.status === 'open');
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
  change: (
    r: WorkflowResult,
    today: LocalDate,
  ) => Promise<Partial<GradingResult>> | Partial<GradingResult> = () => ({}),
): Promise<WorkflowResult> {
  // A write that lost to another change (the publicity job recording the end of publicity, an
  // objection counter) is decided again on the new state: the caller gets 409 only when the step is
  // no longer legal or a rule refuses it, never for bookkeeping it cannot act on.
  for (let attempt = 1; ; attempt++) {
    const result = await mustGetResult(deps, id);
    const auth = authoriseAction(actor, { action, kind: result.kind, district: result.district });
    if (!auth.allowed) throw new ForbiddenError(auth.reason);
    const today = deps.clock.today();
    const from = effectiveStatus(result.status, result.publicity?.endOn, today);
    const to = nextStatus(result.kind, from, action);
    if (!to) {
      await project(deps, result);
      const why =
        action === 'publish'
          ? (publishRefusal({
              status: result.status,
              endOn: result.publicity?.endOn,
              today,
              openObjections: 0,
            }) ?? '')
          : '';
      const legal = legalActions(result.kind, from);
      throw new ConflictError(
        `cannot ${action} assessment ${id}: it is ${from}${why ? ` — ${why}` : ''}; possible now: ${legal.length > 0 ? legal.join(', ') : 'nothing (final)'}`,
      );
    }
    const changed = await change(result, today);
    const now = shanghaiIso(deps.clock.now());
    let stored: WorkflowResult;
    try {
      stored = await deps.results.replace(result, {
        ...result,
        ...changed,
        status: to,
        updatedAt: now,
        lastAction: action,
        lastActor: actor,
        lastActionAt: now,
        previousStatus: result.status,
      } as Omit<GradingResult, 'version'>);
    } catch (err) {
      if (err instanceof ConflictError && attempt < STEP_ATTEMPTS) continue;
      throw err;
    }
    await project(deps, stored);
    return stored;
  }
}

/** Attempts of one lifecycle step whose conditional write lost to a concurrent change. */
const STEP_ATTEMPTS = 4;

export const approveAssessment = (deps: WorkflowDeps, actor: Actor, id: string) =>
  takeStep(deps, actor, id, 'approve');

export const recheckAssessment = (deps: WorkflowDeps, actor: Actor, id: string) =>
  takeStep(deps, actor, id, 'recheck');

export const withdrawAssessment = (deps: WorkflowDeps, actor: Actor, id: string) =>
  takeStep(deps, actor, id, 'withdraw');

/** Starts publicity (公示): the result's revision's working days (Hangzhou 5) from `startOn` (default today), see calendar.publicityWindow. */
export async function publiciseAssessment(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  startOn?: LocalDate,
): Promise<WorkflowResult> {
  return takeStep(deps, actor, id, 'publicise', async (r, today) => {
    const posted = startOn ?? today;
    if (posted < today) {
      throw new ValidationError(`startOn ${posted} is in the past`, [
        { path: 'startOn', message: `must be today (${today}) or later` },
      ]);
    }
    const profile = await mustGetProfile(deps, r.uscc);
    if (profile.closed) throw new ConflictError(`institution ${r.uscc} is closed`);
    const other = profile.publicity;
    if (other && other.resultId !== r.id && today <= other.endOn) {
      throw new ConflictError(
        `assessment ${other.resultId} of this institution is already in publicity until ${other.endOn}`,
      );
    }
    return { publicity: deps.calendar.publicityWindow(posted, rulesOf(r)) };
  });
}

/**
 * Confirms and publishes (审核确认、公布): only after publicity has ended and with no open objection.
 * An objection lodged while this runs bumps the result's version, so the conditional write fails.
 */
export async function publishAssessment(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
): Promise<WorkflowResult> {
  return takeStep(deps, actor, id, 'publish', async (r, today) => {
    const open = await openObjections(deps, r.id);
    const refusal = publishRefusal({
      status: r.status,
      endOn: r.publicity?.endOn,
      today,
      openObjections: open.length,
    });
    if (refusal) throw new ConflictError(refusal);
    const downgrade = downgradeLiftedBy(r, await deps.workflow.listViolations(r.uscc));
    if (downgrade) {
      throw new ConflictError(
        `the downgrade to ${downgrade.gradeAfter} for the violation of ${downgrade.occurredOn} (recorded ${downgrade.recordedOn}) stands: this result, assessed on ${r.assessedOn} with grade ${r.grade}, may not lift it; score it again after the violation (降级后须重新评分)`,
      );
    }
    return {
      publishedOn: today,
      nextReviewDue: nextReviewDue(today, r.grade, rulesOf(r)),
      openObjections: 0,
    };
  });
}

/** A result with its objections, for regulators. */
export async function getAssessment(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
): Promise<{ result: WorkflowResult; objections: Objection[] }> {
  const result = await mustGetResult(deps, id);
  requireSight(actor, result);
  return { result, objections: await deps.workflow.listObjections(id) };
}
