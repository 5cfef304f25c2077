import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError } from '#shared/domain/errors.ts';
import {
  checkDecision,
  checkSubmission,
  type ReplyStatement,
  shownReply,
  standingOf,
} from '#shared/domain/reply.ts';

const statement = (over: Partial<ReplyStatement> = {}): ReplyStatement => ({
  id: 'rpl-1',
  uscc: '91330106MA0000001X',
  text: '本院已整改。',
  resultId: 'r1',
  grade: 'B',
  status: 'pending',
  submittedOn: '2026-11-30',
  submittedAt: '2026-11-30T09:00:00+08:00',
  submittedBy: 'inst',
  decidedOn: null,
  decidedAt: null,
  decidedBy: null,
  decidedByActor: null,
  decisionReason: null,
  version: 1,
  ...over,
});
const approved = (over: Partial<ReplyStatement> = {}) =>
  statement({ status: 'approved', decidedOn: '2026-12-01', ...over });
const graded = { closed: false, grade: 'B' as const, currentResultId: 'r1' };

describe('the right to reply', () => {
  it('lapses a pending or approved statement once its grade is no longer current, never a refused one', () => {
    expect(standingOf(statement(), 'r1')).toBe('pending');
    expect(standingOf(statement(), 'r2')).toBe('lapsed');
    expect(standingOf(approved(), 'r2')).toBe('lapsed');
    expect(standingOf(statement({ status: 'refused' }), 'r2')).toBe('refused');
  });

  it('takes a statement from an open, graded institution with none pending about its grade', () => {
    expect(() => checkSubmission(graded, null)).not.toThrow();
    expect(() => checkSubmission(graded, approved())).not.toThrow();
    expect(() => checkSubmission(graded, statement({ resultId: 'r0' }))).not.toThrow();
    expect(() => checkSubmission(graded, statement())).toThrow(ConflictError);
    expect(() => checkSubmission({ ...graded, closed: true }, null)).toThrow(RuleViolationError);
    expect(() => checkSubmission({ closed: false, grade: null, currentResultId: null }, null)).toThrow(
      RuleViolationError,
    );
  });

  it('decides only the latest statement, while pending and about the current grade', () => {
    expect(() => checkDecision(statement(), 'rpl-1', 'r1')).not.toThrow();
    expect(() => checkDecision(null, 'rpl-1', 'r1')).toThrow(/not the institution's latest/);
    expect(() => checkDecision(statement({ id: 'rpl-2' }), 'rpl-1', 'r1')).toThrow(/rpl-2/);
    expect(() => checkDecision(approved(), 'rpl-1', 'r1')).toThrow(/already approved/);
    expect(() => checkDecision(statement(), 'rpl-1', 'r2')).toThrow(/no longer current/);
  });

  it('shows an approved statement under its own grade only, never over a later one', () => {
    expect(shownReply({ currentResultId: 'r1' }, approved())).toEqual({
      text: '本院已整改。',
      submittedOn: '2026-11-30',
      approvedOn: '2026-12-01',
      statementId: 'rpl-1',
      resultId: 'r1',
      submittedAt: '2026-11-30T09:00:00+08:00',
    });
    expect(shownReply({ currentResultId: 'r1' }, statement())).toBeNull();
    expect(shownReply({ currentResultId: 'r2' }, approved())).toBeNull();
    const later = shownReply(
      { currentResultId: 'r1' },
      approved({ id: 'rpl-2', submittedAt: '2026-12-02T09:00:00+08:00' }),
    );
    expect(shownReply({ currentResultId: 'r1', reply: later }, approved())).toBeNull();
    const earlier = shownReply({ currentResultId: 'r1' }, approved());
    expect(
      shownReply(
        { currentResultId: 'r1', reply: earlier },
        approved({ id: 'rpl-2', submittedAt: '2026-12-02T09:00:00+08:00' }),
      ),
    ).toMatchObject({ statementId: 'rpl-2' });
    expect(shownReply({ currentResultId: 'r1', reply: earlier }, approved())).toBeNull();
  });
});

describe('what a refused statement or decision says', () => {
  const thrown = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    return null;
  };

  it('names the rule a submission breaks, word for word', () => {
    const closed = thrown(() => checkSubmission({ ...graded, closed: true }, null));
    expect(closed).toBeInstanceOf(RuleViolationError);
    expect(closed).toMatchObject({
      message: 'a closed institution may not submit a statement',
      rule: 'reply-institution-open',
    });
    for (const inst of [
      { closed: false, grade: null, currentResultId: 'r1' },
      { closed: false, grade: 'B' as const, currentResultId: null },
    ]) {
      expect(thrown(() => checkSubmission(inst, null))).toMatchObject({
        message: 'the institution has no published grade to reply to (尚无已公布的等级)',
        rule: 'reply-needs-grade',
      });
    }
    const pending = thrown(() => checkSubmission(graded, statement()));
    expect(pending).toBeInstanceOf(ConflictError);
    expect(pending).toMatchObject({
      message: 'statement rpl-1 of 2026-11-30 is still pending: one statement awaits a decision at a time',
      precondition: 'reply-one-pending',
    });
    expect(() => checkSubmission(graded, statement({ status: 'refused' }))).not.toThrow();
  });

  it('names why a decision comes too late, word for word', () => {
    expect(thrown(() => checkDecision(null, 'rpl-1', 'r1'))).toMatchObject({
      message: "statement rpl-1 is not the institution's latest",
      precondition: 'reply-latest',
    });
    expect(thrown(() => checkDecision(statement({ id: 'rpl-2' }), 'rpl-1', 'r1'))).toMatchObject({
      message: "statement rpl-1 is not the institution's latest (that is rpl-2)",
      precondition: 'reply-latest',
    });
    expect(thrown(() => checkDecision(statement(), 'rpl-1', 'r2'))).toMatchObject({
      message:
        'statement rpl-1 is about a grade that is no longer current; the institution may submit a new one',
      precondition: 'reply-current-grade',
    });
    const refused = thrown(() => checkDecision(statement({ status: 'refused' }), 'rpl-1', 'r2'));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({
      message: 'statement rpl-1 was already refused',
      precondition: 'reply-pending',
    });
  });

  it('shows nothing for an approval without its date, or for the statement already shown', () => {
    expect(shownReply({ currentResultId: 'r1' }, approved({ decidedOn: null }))).toBeNull();
    const shown = shownReply({ currentResultId: 'r1' }, approved());
    expect(
      shownReply(
        { currentResultId: 'r1', reply: shown },
        approved({ submittedAt: '2026-12-09T09:00:00+08:00' }),
      ),
    ).toBeNull();
    const sameInstant = shownReply({ currentResultId: 'r1', reply: shown }, approved({ id: 'rpl-2' }));
    expect(sameInstant).toMatchObject({ statementId: 'rpl-2' });
    expect(shownReply({ currentResultId: 'r1', reply: null }, approved())).toMatchObject({
      statementId: 'rpl-1',
    });
  });
});
