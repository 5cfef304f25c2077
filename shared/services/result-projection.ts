import { downgradedDueDate, downgradeLiftedBy } from '../domain/downgrade.ts';
import type { GradingResult, InstitutionProfile, PublicityInfo } from '../domain/model.ts';
import { firstPublicityCap } from '../domain/preconditions.ts';
import { firstPendingReminder, isReviewOverdue } from '../domain/review.ts';
import { rulesOf } from '../domain/rules.ts';
import { sameData } from '../domain/same-data.ts';
import type { Actor, Grade, LocalDate, ResultStatus } from '../domain/types.ts';
import type { NewChangeEvent } from '../store/events.ts';
import type { StoredViolation } from '../store/workflow.ts';
import { appendEvent, notify, recordAudit, updateProfile, type WorkflowDeps } from './context.ts';
import { causeOf, downgradedProfile, downgradeEvent } from './violations.ts';

/**
 * What follows from a result's state, outside the result itself: the audit entry of its last step,
 * the public profile (publicity, published grade, history), the change events and the notices. The
 * steps that change a result live in assessments.ts; this module only projects what they committed.
 */

/** A result as this workflow stores it: who took the last step, so a retry can finish its audit entry. */
export type WorkflowResult = GradingResult & {
  lastAction?: string;
  lastActor?: Actor;
  /** When the last step was taken; objection counters change `updatedAt` but not this. */
  lastActionAt?: string;
  previousStatus?: ResultStatus | null;
  /** The upgrade application an assessment came from. */
  applicationId?: string | null;
  /** The grade proposed in publicity, when a violation since the assessment lowered the published one. */
  proposedGrade?: Grade;
  /** Withdrawn because the institution closed. */
  withdrawnFor?: 'closed';
};

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
 * The publicity the profile shows for `r`, with what the violations since its assessment made of it:
 * a first result is published no higher than `gradeCap`; a result a standing downgrade keeps from
 * being published is `unpublishable` (DOMAIN.md "Life of a grading result").
 */
export function shownPublicity(r: GradingResult, violations: readonly StoredViolation[]): PublicityInfo {
  const cap = firstPublicityCap(r, violations);
  return {
    ...publicityOf(r),
    ...(cap &&
      // Stryker disable next-line ConditionalExpression: a cap is only set by a downgrade, which always lowers the grade
      cap.grade !== r.grade && { gradeCap: cap.grade }),
    ...(downgradeLiftedBy(r, violations) && { unpublishable: true }),
  };
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
  const profile = await updateProfile(
    deps,
    r.uscc,
    (p, violations) => {
      const shown = shownPublicity(r, violations);
      return sameData(p.publicity, shown) || p.history.some((h) => h.resultId === r.id)
        ? null
        : { ...p, publicity: shown };
    },
    { withViolations: true },
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
  // Stryker disable next-line ArrayDeclaration: the projection always passes the violations it read; an entry that is no violation matches no downgrade
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
        ...(r.proposedGrade && { proposedGrade: r.proposedGrade }),
      },
      ...p.history,
    ],
    // Another result's publicity (a later re-review already posted) stays.
    publicity: p.publicity?.resultId === r.id ? null : p.publicity,
    // The institution's statement was about the grade this result replaces (domain/reply.ts).
    reply: null,
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
        cause: causeOf(standing),
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
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the profile's history holds `r` once published (at ≥ 0), and history[-1] is undefined
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
  if (!r.publicity && r.withdrawnFor !== 'closed') return;
  await appendEvent(deps, {
    key: `withdrawn:${r.id}`,
    type: 'withdrawn',
    uscc: r.uscc,
    district: r.district,
    occurredAt: r.lastActionAt ?? r.updatedAt,
    // A result never publicised shows nothing of its grade or score.
    before: {
      resultId: r.id,
      status: r.previousStatus ?? 'in_publicity',
      ...(r.publicity && { proposedGrade: r.grade, score: r.score }),
    },
    after: { resultId: r.id, status: 'withdrawn', ...(r.withdrawnFor && { reason: 'institution_closed' }) },
  });
}
