import { createHash } from 'node:crypto';
import { shanghaiIso } from '../domain/dates.ts';
import { entersDishonestyRecord } from '../domain/dishonesty.ts';
import { downgradedDueDate, downgradeTarget } from '../domain/downgrade.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import type { DowngradeCause, GradingResult, InstitutionProfile, Violation } from '../domain/model.ts';
import { firstPendingReminder, isReviewOverdue } from '../domain/review.ts';
import { rulesOf, rulesOn } from '../domain/rules.ts';
import { sameData } from '../domain/same-data.ts';
import type { Actor, District, LocalDate, Severity, ViolationType } from '../domain/types.ts';
import type { NewChangeEvent } from '../store/events.ts';
import type { StoredViolation } from '../store/workflow.ts';
import {
  appendEvent,
  mustGetProfile,
  notify,
  recordAudit,
  requireScope,
  updateProfile,
  type WorkflowDeps,
} from './context.ts';
import { appendPublishedEvent, shownPublicity, type WorkflowResult } from './result-projection.ts';

export interface ViolationInput {
  occurredOn: LocalDate;
  type: ViolationType;
  severity: Severity;
  description: string;
  rectifiedOn?: LocalDate | undefined;
  rectificationDeadline?: LocalDate | undefined;
  effectiveCompliance?: boolean | undefined;
}

/** The same violation reported twice gets the same id, so a retried request cannot record it twice. */
export function violationId(uscc: string, v: ViolationInput): string {
  return createHash('sha256')
    .update(JSON.stringify([uscc, v.occurredOn, v.type, v.severity, v.description.trim()]))
    .digest('hex')
    .slice(0, 20);
}

/**
 * Records a violation, medical accident or adverse social event. A, B and C are downgraded at once by
 * severity (downgrade.ts) and the next re-review moves to the earlier date; whether it enters the
 * dishonesty record is decided per dishonesty.ts and stored on the violation.
 *
 * Commit point: the conditional put of the violation, which carries the computed downgrade. After it:
 * the downgrade result, the profile (grade, due date, history entry `downgrade`), the `downgraded`
 * event, the notice and the audit entry, each idempotent. A retry finishes them and answers 409.
 */
export async function recordViolation(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  input: ViolationInput,
): Promise<StoredViolation> {
  const profile = await mustGetProfile(deps, uscc);
  requireScope('postV1AdminInstitutionsByUsccViolations', actor, { institution: profile });
  const today = deps.clock.today();
  const problems = [];
  if (input.occurredOn > today) problems.push({ path: 'occurredOn', message: 'must not be in the future' });
  if (input.rectifiedOn && input.rectifiedOn < input.occurredOn) {
    problems.push({ path: 'rectifiedOn', message: 'must not be before occurredOn' });
  }
  if (problems.length > 0) throw new ValidationError('invalid violation', problems);

  const id = violationId(uscc, input);
  const existing = await deps.workflow.getViolation(uscc, input.occurredOn, id);
  // Stryker disable next-line BlockStatement: without it the put below is refused for the same key, and the same finish and 409 follow
  if (existing) {
    await finishViolation(deps, existing);
    throw new ConflictError(`this violation was already recorded as ${id}`);
  }
  // Judged by the revision in force on the day of the violation, which the record keeps.
  const rules = rulesOn(input.occurredOn);
  const gradeAfter = profile.closed ? null : downgradeTarget(profile.grade, input.severity, rules);
  const dishonesty = entersDishonestyRecord(
    {
      grade: profile.grade,
      severity: input.severity,
      rectifiedOn: input.rectifiedOn ?? null,
      rectificationDeadline: input.rectificationDeadline ?? null,
      effectiveCompliance: input.effectiveCompliance ?? false,
    },
    rules,
  );
  const violation: StoredViolation = {
    id,
    uscc,
    occurredOn: input.occurredOn,
    type: input.type,
    severity: input.severity,
    description: input.description,
    rectifiedOn: input.rectifiedOn ?? null,
    rectificationDeadline: input.rectificationDeadline ?? null,
    effectiveCompliance: input.effectiveCompliance ?? false,
    gradeBefore: profile.grade,
    gradeAfter,
    entersDishonestyRecord: dishonesty.enters,
    dishonestyReason: dishonesty.reason,
    nextReviewDue: gradeAfter ? downgradedDueDate(profile.nextReviewDue, gradeAfter, today, rules) : null,
    revision: rules.id,
    score: profile.score,
    downgradeResultId: gradeAfter ? `dg-${id}` : null,
    recordedAt: shanghaiIso(deps.clock.now()),
    recordedOn: today,
    recordedBy: actor.subject,
    recordedByActor: actor,
  };
  try {
    await deps.workflow.createViolation(violation);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const raced = await deps.workflow.getViolation(uscc, input.occurredOn, id);
    if (raced) await finishViolation(deps, raced);
    throw new ConflictError(`this violation was already recorded as ${id}`);
  }
  await finishViolation(deps, violation);
  return violation;
}

/** What the public history says caused a downgrade. */
export const causeOf = (v: Pick<Violation, 'type' | 'severity' | 'occurredOn'>): DowngradeCause => ({
  type: v.type,
  severity: v.severity,
  occurredOn: v.occurredOn,
});

/** The profile after a downgrade (pure); null when it already shows it. */
export function downgradedProfile(
  p: InstitutionProfile,
  v: StoredViolation,
  today: LocalDate,
): Omit<InstitutionProfile, 'version'> | null {
  if (!v.gradeAfter || !v.downgradeResultId || !v.nextReviewDue) return null;
  if (p.history.some((h) => h.resultId === v.downgradeResultId)) return null;
  return {
    ...p,
    grade: v.gradeAfter,
    currentResultId: v.downgradeResultId,
    // The institution's statement was about the grade the downgrade replaces (domain/reply.ts).
    reply: null,
    nextReviewDue: v.nextReviewDue,
    reviewOverdue: isReviewOverdue(v.nextReviewDue, today),
    nextReminder: p.closed
      ? null
      : firstPendingReminder(
          v.nextReviewDue,
          today,
          rulesOf({ revision: v.revision, assessedOn: v.occurredOn }),
        ),
    history: [
      {
        resultId: v.downgradeResultId,
        grade: v.gradeAfter,
        score: v.score ?? p.score ?? 0,
        publishedOn: v.recordedOn,
        reason: 'downgrade',
        ...(v.revision && { revision: v.revision }),
        cause: causeOf(v),
      },
      ...p.history,
    ],
  };
}

/** The `downgraded` change event of a violation's downgrade. */
export function downgradeEvent(v: StoredViolation, district: District): NewChangeEvent {
  return {
    key: `downgraded:${v.id}`,
    type: 'downgraded',
    uscc: v.uscc,
    district,
    occurredAt: v.recordedAt,
    before: { grade: v.gradeBefore },
    after: { grade: v.gradeAfter, nextReviewDue: v.nextReviewDue, severity: v.severity, type: v.type },
  };
}

/** The publicity on the profile shown anew with what the violations made of it (shownPublicity). */
async function reshowPublicity(deps: WorkflowDeps, uscc: string): Promise<void> {
  const shownId = (await mustGetProfile(deps, uscc)).publicity?.resultId;
  const r = shownId ? await deps.results.get(shownId) : null;
  if (!r?.publicity) return;
  await updateProfile(
    deps,
    uscc,
    (p, violations) => {
      if (p.publicity?.resultId !== r.id) return null;
      const shown = shownPublicity(r, violations);
      return sameData(shown, p.publicity) ? null : { ...p, publicity: shown };
    },
    { withViolations: true },
  );
}

async function finishViolation(deps: WorkflowDeps, v: StoredViolation): Promise<void> {
  await recordAudit(deps, {
    id: `violation:${v.id}`,
    uscc: v.uscc,
    at: v.recordedAt,
    actor: v.recordedByActor,
    action: 'violation.record',
    before: { grade: v.gradeBefore },
    after: v,
  });
  await reshowPublicity(deps, v.uscc);
  if (!v.gradeAfter || !v.downgradeResultId || !v.nextReviewDue) return;
  const today = deps.clock.today();
  const profile = await mustGetProfile(deps, v.uscc);
  const result: WorkflowResult = {
    id: v.downgradeResultId,
    uscc: v.uscc,
    kind: profile.kind,
    district: profile.district,
    status: 'published',
    score: v.score ?? 0,
    grade: v.gradeAfter,
    breakdown: null,
    reason: 'downgrade',
    assessedOn: v.occurredOn,
    ...(v.revision && { revision: v.revision }),
    assessor: null,
    delegatedTo: null,
    publicity: null,
    openObjections: 0,
    publishedOn: v.recordedOn,
    nextReviewDue: v.nextReviewDue,
    createdAt: v.recordedAt,
    createdBy: v.recordedBy,
    version: 1,
    updatedAt: v.recordedAt,
    applicationId: null,
  };
  await deps.results.create(result as GradingResult).catch((err: unknown) => {
    if (!(err instanceof ConflictError)) throw err;
  });
  const shown = await updateProfile(deps, v.uscc, (p) => downgradedProfile(p, v, today));
  // A result published in the same write as this downgrade (it raced it) gets its event first.
  const at = shown.history.findIndex((h) => h.resultId === v.downgradeResultId);
  const below = at >= 0 ? shown.history[at + 1] : undefined;
  if (below && below.reason !== 'downgrade' && below.publishedOn === v.recordedOn) {
    const r = await deps.results.get(below.resultId);
    // Stryker disable next-line OptionalChaining: every result in the history is stored
    if (r?.status === 'published') await appendPublishedEvent(deps, r, shown);
  }
  await appendEvent(deps, downgradeEvent(v, profile.district));
  await notify(deps, [
    {
      uscc: v.uscc,
      kind: 'downgraded',
      cycle: v.id,
      params: {
        gradeBefore: v.gradeBefore,
        grade: v.gradeAfter,
        nextReviewDue: v.nextReviewDue,
        severity: v.severity,
      },
      on: today,
    },
  ]);
}
