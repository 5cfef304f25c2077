import { ConflictError, RuleViolationError } from './errors.ts';
import type { InstitutionReply } from './model.ts';
import type { Actor, Grade, LocalDate } from './types.ts';

/**
 * An institution's right to reply (DOMAIN.md "What the public needs beyond the grade"): a short
 * statement about its grade, shown under the grade as its own words once the regulator that scores it
 * approved it. Pure: the rules of submitting, deciding and showing it, no storage.
 */

/** A statement is short: at most this many characters (code points). */
export const REPLY_MAX_CHARS = 300;

export type ReplyStatus = 'pending' | 'approved' | 'refused';

/** A statement an institution submitted, as stored: an institution has one at a time (its latest). */
export interface ReplyStatement {
  id: string;
  uscc: string;
  text: string;
  /** The result whose grade it is about: the institution's current result when it was submitted. */
  resultId: string;
  grade: Grade;
  status: ReplyStatus;
  submittedOn: LocalDate;
  submittedAt: string;
  submittedBy: string;
  decidedOn: LocalDate | null;
  decidedAt: string | null;
  decidedBy: string | null;
  /** Who decided, for the audit entry a retried decision finishes (never shown to the institution). */
  decidedByActor: Actor | null;
  /** Why it was refused (required then), or a note to an approval. */
  decisionReason: string | null;
  version: number;
}

/**
 * Where a statement stands for the institution reading it: `lapsed` when it was pending or approved
 * about a grade that is no longer current (a result was published, or a downgrade took effect, since):
 * it is not shown and cannot be approved; the institution may submit a new one.
 */
export type ReplyStanding = ReplyStatus | 'lapsed';

export function standingOf(s: Pick<ReplyStatement, 'status' | 'resultId'>, currentResultId: string | null) {
  return s.status !== 'refused' && s.resultId !== currentResultId ? 'lapsed' : s.status;
}

/** What the submission rules read of the institution. */
export interface ReplyFacts {
  closed: boolean;
  grade: Grade | null;
  currentResultId: string | null;
}

/**
 * Throws unless the institution may submit a statement now: it must be open and have a current grade
 * to speak about (422), and have no statement pending about that grade (409: one at a time). A pending
 * statement about an earlier grade has lapsed and is replaced.
 */
export function checkSubmission(inst: ReplyFacts, latest: ReplyStatement | null): void {
  if (inst.closed) {
    throw new RuleViolationError('a closed institution may not submit a statement', 'reply-institution-open');
  }
  if (!inst.grade || !inst.currentResultId) {
    throw new RuleViolationError(
      'the institution has no published grade to reply to (尚无已公布的等级)',
      'reply-needs-grade',
    );
  }
  if (latest && standingOf(latest, inst.currentResultId) === 'pending') {
    throw new ConflictError(
      `statement ${latest.id} of ${latest.submittedOn} is still pending: one statement awaits a decision at a time`,
      'reply-one-pending',
    );
  }
}

/**
 * Throws unless the statement the regulator names may be decided now: it must be the institution's
 * latest (a newer submission replaced it: 409), still pending (decided already: 409), and about the
 * current grade (lapsed: 409).
 */
export function checkDecision(
  latest: ReplyStatement | null,
  statementId: string,
  currentResultId: string | null,
): asserts latest is ReplyStatement {
  if (!latest || latest.id !== statementId) {
    throw new ConflictError(
      `statement ${statementId} is not the institution's latest${latest ? ` (that is ${latest.id})` : ''}`,
      'reply-latest',
    );
  }
  const standing = standingOf(latest, currentResultId);
  if (standing === 'lapsed') {
    throw new ConflictError(
      `statement ${statementId} is about a grade that is no longer current; the institution may submit a new one`,
      'reply-current-grade',
    );
  }
  if (standing !== 'pending') {
    throw new ConflictError(`statement ${statementId} was already ${standing}`, 'reply-pending');
  }
}

/**
 * What the public profile shows once `s` is approved, or null when it must not change: a statement is
 * shown only under the grade it is about, and never replaces one submitted after it (two approvals'
 * projections may land in either order).
 */
export function shownReply(
  current: { currentResultId: string | null; reply?: InstitutionReply | null | undefined },
  s: ReplyStatement,
): InstitutionReply | null {
  if (s.status !== 'approved' || !s.decidedOn) return null;
  if (current.currentResultId !== s.resultId) return null;
  const shown = current.reply;
  if (shown?.statementId === s.id) return null;
  if (shown?.submittedAt && shown.submittedAt > s.submittedAt) return null;
  return {
    text: s.text,
    submittedOn: s.submittedOn,
    approvedOn: s.decidedOn,
    statementId: s.id,
    resultId: s.resultId,
    submittedAt: s.submittedAt,
  };
}
