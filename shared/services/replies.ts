import { randomUUID } from 'node:crypto';
import { shanghaiIso } from '../domain/dates.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { InstitutionProfile } from '../domain/model.ts';
import { concealFrom } from '../domain/permissions.ts';
import {
  checkDecision,
  checkSubmission,
  type ReplyStanding,
  type ReplyStatement,
  shownReply,
  standingOf,
} from '../domain/reply.ts';
import type { Actor } from '../domain/types.ts';
import { mustGetProfile, recordAudit, requireScope, updateProfile, type WorkflowDeps } from './context.ts';

/** A statement as its readers get it: where it stands today, and what the public page shows now. */
export type ReplyView = Omit<ReplyStatement, 'decidedByActor'> & {
  standing: ReplyStanding;
  shown: { text: string; submittedOn: string; approvedOn: string } | null;
};

export interface ReplyDecision {
  /** The statement decided: a decision never lands on a newer statement than the one read. */
  id: string;
  outcome: 'approved' | 'refused';
  reason?: string | undefined;
}

function viewOf(actor: Actor, s: ReplyStatement, profile: InstitutionProfile): ReplyView {
  const { decidedByActor: _, ...statement } = s;
  const shown = profile.reply
    ? {
        text: profile.reply.text,
        submittedOn: profile.reply.submittedOn,
        approvedOn: profile.reply.approvedOn,
      }
    : null;
  // An institution sees where its statement stands and why, not which official decided it.
  return concealFrom(actor.role, { ...statement, standing: standingOf(s, profile.currentResultId), shown });
}

/**
 * An institution submits a statement about its current grade. Commit point: the conditional write of
 * its statement item over the one read (of two racing submissions exactly one wins, the other is 409).
 * Sending the same text again while it is pending answers the same statement (a retry).
 */
export async function submitReply(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  input: { text: string },
): Promise<{ view: ReplyView; created: boolean }> {
  requireScope('postV1AdminInstitutionsByUsccReply', actor, { uscc });
  const profile = await mustGetProfile(deps, uscc);
  const latest = await deps.workflow.getReplyStatement(uscc);
  if (latest && latest.text === input.text && standingOf(latest, profile.currentResultId) === 'pending') {
    await auditSubmission(deps, actor, latest, null);
    return { view: viewOf(actor, latest, profile), created: false };
  }
  checkSubmission(profile, latest);
  const now = deps.clock.now();
  const stored = await deps.workflow.putReplyStatement(latest, {
    id: `rpl-${randomUUID()}`,
    uscc,
    text: input.text,
    resultId: profile.currentResultId as string,
    grade: profile.grade as NonNullable<InstitutionProfile['grade']>,
    status: 'pending',
    submittedOn: deps.clock.today(),
    submittedAt: shanghaiIso(now),
    submittedBy: actor.subject,
    decidedOn: null,
    decidedAt: null,
    decidedBy: null,
    decidedByActor: null,
    decisionReason: null,
  });
  await auditSubmission(deps, actor, stored, latest);
  return { view: viewOf(actor, stored, profile), created: true };
}

async function auditSubmission(
  deps: WorkflowDeps,
  actor: Actor,
  s: ReplyStatement,
  replaced: ReplyStatement | null,
) {
  await recordAudit(deps, {
    id: `reply-submit:${s.id}`,
    uscc: s.uscc,
    at: s.submittedAt,
    actor,
    action: 'reply.submit',
    before: replaced ? { id: replaced.id, status: replaced.status } : null,
    after: { id: s.id, text: s.text, resultId: s.resultId, grade: s.grade, status: s.status },
  });
}

/**
 * The regulator that scores the institution approves or refuses its pending statement. Commit point:
 * the conditional write of the statement from `pending` (of two racing decisions exactly one wins).
 * After it, an approval is shown on the public profile, under the grade it is about only; then the
 * audit entry. A retry of a committed decision finishes those and answers 409.
 */
export async function decideReply(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  decision: ReplyDecision,
): Promise<ReplyView> {
  const profile = await mustGetProfile(deps, uscc);
  requireScope('postV1AdminInstitutionsByUsccReplyDecision', actor, { institution: profile });
  if (decision.outcome === 'refused' && !decision.reason) {
    throw new ValidationError('a refusal needs a reason', [
      { path: 'reason', message: 'required when the outcome is refused' },
    ]);
  }
  const latest = await deps.workflow.getReplyStatement(uscc);
  if (!latest) throw new NotFoundError(`${uscc} has submitted no statement`);
  if (latest.id === decision.id && latest.status !== 'pending') await finishDecision(deps, latest);
  checkDecision(latest, decision.id, profile.currentResultId);
  const now = deps.clock.now();
  const decided = await deps.workflow.putReplyStatement(latest, {
    ...latest,
    status: decision.outcome,
    decidedOn: deps.clock.today(),
    decidedAt: shanghaiIso(now),
    decidedBy: actor.subject,
    decidedByActor: actor,
    decisionReason: decision.reason ?? null,
  });
  const shown = await finishDecision(deps, decided);
  return viewOf(actor, decided, shown ?? profile);
}

async function finishDecision(deps: WorkflowDeps, s: ReplyStatement): Promise<InstitutionProfile | null> {
  const shown =
    // Stryker disable next-line ConditionalExpression: shownReply shows only an approved statement; for another the profile is read and left unchanged
    s.status === 'approved'
      ? await updateProfile(deps, s.uscc, (p) => {
          const reply = shownReply(p, s);
          return reply ? { ...p, reply } : null;
        })
      : null;
  await recordAudit(deps, {
    id: `reply-decide:${s.id}`,
    uscc: s.uscc,
    at: s.decidedAt ?? `${s.decidedOn}T00:00:00+08:00`,
    actor: s.decidedByActor ?? { subject: s.decidedBy ?? 'unknown', role: 'city' },
    action: 'reply.decide',
    before: { id: s.id, status: 'pending' },
    after: { id: s.id, status: s.status, reason: s.decisionReason },
  });
  return shown;
}

/** The institution's latest statement, for the institution itself and its regulators. */
export async function getReply(deps: WorkflowDeps, actor: Actor, uscc: string): Promise<ReplyView> {
  const profile = await mustGetProfile(deps, uscc);
  requireScope('getV1AdminInstitutionsByUsccReply', actor, { institution: profile });
  const latest = await deps.workflow.getReplyStatement(uscc);
  if (!latest) throw new NotFoundError(`${uscc} has submitted no statement`);
  return viewOf(actor, latest, profile);
}
