import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '#shared/domain/errors.ts';
import type { ReplyStatement } from '#shared/domain/reply.ts';
import { closeInstitution } from '#shared/services/institutions.ts';
import { decideReply, getReply, submitReply } from '#shared/services/replies.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import {
  CITY,
  districtOfficer,
  failing,
  institutionActor,
  publishScore,
  registeredClinic,
  registeredHospital,
  type ServiceHarness,
  serviceHarness,
} from '../../support/services.ts';

/**
 * The right to reply called on the service itself: who submits, decides and reads a statement, what is
 * stored, shown and audited, the same text again while pending, a refusal's reason, and a retry that
 * finishes a decision (the public profile, the audit entry) before it answers 409.
 */

const SUBMITTED_AT = '2026-11-28T09:00:00.000+08:00';

async function gradedHospital(h: ServiceHarness) {
  const uscc = await registeredHospital(h);
  const published = await publishScore(h, uscc, 90, 'hospital');
  return { uscc, resultId: published.id, me: institutionActor(uscc) };
}

const auditOf = async (h: ServiceHarness, uscc: string, action: string) =>
  (await h.audit(uscc)).filter((e) => e.action === action);

describe('submitting a statement', () => {
  const dynamo = useTestDynamo();

  it('stores a pending statement about the current grade, audits it and answers it with where it stands', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, resultId, me } = await gradedHospital(h);
    const out = await submitReply(h.deps, me, uscc, { text: '我院已整改。' });
    expect(out.created).toBe(true);
    const statement = {
      id: expect.stringMatching(/^rpl-[0-9a-f-]{36}$/),
      uscc,
      text: '我院已整改。',
      resultId,
      grade: 'B',
      status: 'pending',
      submittedOn: '2026-11-28',
      submittedAt: SUBMITTED_AT,
      submittedBy: me.subject,
      decidedOn: null,
      decidedAt: null,
      decisionReason: null,
      version: 1,
    };
    expect(out.view).toEqual({ ...statement, standing: 'pending', shown: null });
    expect(await h.deps.workflow.getReplyStatement(uscc)).toEqual({
      ...statement,
      decidedBy: null,
      decidedByActor: null,
    });
    expect(await auditOf(h, uscc, 'reply.submit')).toEqual([
      {
        id: `reply-submit:${out.view.id}`,
        uscc,
        at: SUBMITTED_AT,
        actor: me,
        action: 'reply.submit',
        before: null,
        after: { id: out.view.id, text: '我院已整改。', resultId, grade: 'B', status: 'pending' },
      },
    ]);
  });

  it('is the institution’s own: another institution and the regulators get 403; an unknown one 404', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc } = await gradedHospital(h);
    const other = await registeredHospital(h);
    for (const actor of [institutionActor(other), CITY]) {
      await expect(submitReply(h.deps, actor, uscc, { text: '说明' })).rejects.toThrow(ForbiddenError);
    }
    await expect(
      submitReply(h.deps, institutionActor('UNKNOWN'), 'UNKNOWN', { text: '说明' }),
    ).rejects.toThrow(new NotFoundError('no institution with uscc UNKNOWN'));
    expect(await h.deps.workflow.getReplyStatement(uscc)).toBeNull();
  });

  it('is refused 422 to an ungraded or a closed institution', async () => {
    const h = await serviceHarness(dynamo);
    const ungraded = await registeredClinic(h);
    await expect(submitReply(h.deps, institutionActor(ungraded), ungraded, { text: '说明' })).rejects.toThrow(
      RuleViolationError,
    );
    const { uscc, me } = await gradedHospital(h);
    await closeInstitution(h.deps, CITY, uscc);
    await expect(submitReply(h.deps, me, uscc, { text: '说明' })).rejects.toThrow(RuleViolationError);
    expect(await h.deps.workflow.getReplyStatement(uscc)).toBeNull();
  });

  it('answers the same text while pending with the pending statement, another text with 409', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await gradedHospital(h);
    const first = await submitReply(h.deps, me, uscc, { text: '说明甲' });
    const again = await submitReply(h.deps, me, uscc, { text: '说明甲' });
    expect(again).toEqual({ view: first.view, created: false });
    await expect(submitReply(h.deps, me, uscc, { text: '说明乙' })).rejects.toMatchObject({
      precondition: 'reply-one-pending',
    });
    expect(await auditOf(h, uscc, 'reply.submit')).toHaveLength(1);
  });

  it('records the audit entry a submission left unrecorded when the same text is sent again', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await gradedHospital(h);
    const crashing = failing(h.deps, 'audit', 'record');
    await expect(submitReply(crashing, me, uscc, { text: '说明甲' })).rejects.toThrow('down');
    const stored = (await h.deps.workflow.getReplyStatement(uscc)) as ReplyStatement;
    expect(await auditOf(h, uscc, 'reply.submit')).toEqual([]);
    const again = await submitReply(h.deps, me, uscc, { text: '说明甲' });
    expect(again.created).toBe(false);
    expect(again.view.id).toBe(stored.id);
    expect(await auditOf(h, uscc, 'reply.submit')).toEqual([
      expect.objectContaining({ id: `reply-submit:${stored.id}`, before: null }),
    ]);
  });

  it('takes a new statement after a refusal, even with the same text, and audits what it replaced', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await gradedHospital(h);
    const first = await submitReply(h.deps, me, uscc, { text: '说明甲' });
    await decideReply(h.deps, CITY, uscc, { id: first.view.id, outcome: 'refused', reason: '措辞不当' });
    h.clock.set('2026-11-29T09:00:00+08:00');
    const second = await submitReply(h.deps, me, uscc, { text: '说明甲' });
    expect(second.created).toBe(true);
    expect(second.view).toMatchObject({ status: 'pending', standing: 'pending', version: 3 });
    expect(second.view.id).not.toBe(first.view.id);
    expect((await auditOf(h, uscc, 'reply.submit')).map((e) => e.before)).toEqual([
      null,
      { id: first.view.id, status: 'refused' },
    ]);
  });
});

describe('deciding a statement', () => {
  const dynamo = useTestDynamo();

  async function submitted(h: ServiceHarness, text = '我院已整改。') {
    const graded = await gradedHospital(h);
    const { view } = await submitReply(h.deps, graded.me, graded.uscc, { text });
    h.clock.set('2026-12-01T14:00:00+08:00');
    return { ...graded, id: view.id };
  }
  const DECIDED_AT = '2026-12-01T14:00:00.000+08:00';

  it('approved by the regulator that scores it: shown on the public profile as its own words, and audited', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, resultId, id } = await submitted(h);
    const view = await decideReply(h.deps, CITY, uscc, { id, outcome: 'approved' });
    expect(view).toMatchObject({
      id,
      status: 'approved',
      standing: 'approved',
      decidedOn: '2026-12-01',
      decidedAt: DECIDED_AT,
      decidedBy: CITY.subject,
      decisionReason: null,
      shown: { text: '我院已整改。', submittedOn: '2026-11-28', approvedOn: '2026-12-01' },
    });
    expect(view).not.toHaveProperty('decidedByActor');
    expect((await h.deps.reader.getProfile(uscc, true))?.reply).toEqual({
      text: '我院已整改。',
      submittedOn: '2026-11-28',
      approvedOn: '2026-12-01',
      statementId: id,
      resultId,
      submittedAt: SUBMITTED_AT,
    });
    expect(await auditOf(h, uscc, 'reply.decide')).toEqual([
      {
        id: `reply-decide:${id}`,
        uscc,
        at: DECIDED_AT,
        actor: CITY,
        action: 'reply.decide',
        before: { id, status: 'pending' },
        after: { id, status: 'approved', reason: null },
      },
    ]);
  });

  it('refused with its reason: the page keeps what it showed, and the institution reads why but not who', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me, id } = await submitted(h, '说明甲');
    await decideReply(h.deps, CITY, uscc, { id, outcome: 'approved' });
    const { view: second } = await submitReply(h.deps, me, uscc, { text: '说明乙' });
    const refused = await decideReply(h.deps, CITY, uscc, {
      id: second.id,
      outcome: 'refused',
      reason: '措辞不当',
    });
    expect(refused).toMatchObject({
      status: 'refused',
      standing: 'refused',
      decisionReason: '措辞不当',
      shown: { text: '说明甲', submittedOn: '2026-11-28', approvedOn: '2026-12-01' },
    });
    expect((await h.deps.reader.getProfile(uscc, true))?.reply?.statementId).toBe(id);
    const read = await getReply(h.deps, me, uscc);
    expect(read).toMatchObject({ id: second.id, standing: 'refused', decisionReason: '措辞不当' });
    expect(read).not.toHaveProperty('decidedBy');
    expect((await getReply(h.deps, CITY, uscc)).decidedBy).toBe(CITY.subject);
    expect(await auditOf(h, uscc, 'reply.decide')).toContainEqual(
      expect.objectContaining({ after: { id: second.id, status: 'refused', reason: '措辞不当' } }),
    );
  });

  it('needs a reason to refuse: 400 naming it, nothing decided', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await submitted(h);
    for (const reason of [undefined, '']) {
      const err = await decideReply(h.deps, CITY, uscc, { id, outcome: 'refused', reason }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({
        message: 'a refusal needs a reason',
        errors: [{ path: 'reason', message: 'required when the outcome is refused' }],
      });
    }
    expect((await h.deps.workflow.getReplyStatement(uscc))?.status).toBe('pending');
  });

  it('is refused to a district, the institution and another institution’s regulator; 404 without a statement', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me, id } = await submitted(h);
    for (const actor of [districtOfficer('上城区'), me]) {
      await expect(decideReply(h.deps, actor, uscc, { id, outcome: 'approved' })).rejects.toThrow(
        ForbiddenError,
      );
    }
    const silent = await gradedHospital(h);
    await expect(decideReply(h.deps, CITY, silent.uscc, { id, outcome: 'approved' })).rejects.toThrow(
      new NotFoundError(`${silent.uscc} has submitted no statement`),
    );
    await expect(getReply(h.deps, CITY, silent.uscc)).rejects.toThrow(
      new NotFoundError(`${silent.uscc} has submitted no statement`),
    );
    await expect(getReply(h.deps, silent.me, uscc)).rejects.toThrow(ForbiddenError);
    expect((await h.deps.workflow.getReplyStatement(uscc))?.status).toBe('pending');
  });

  it('a retry of an approval that stopped after its commit shows it and audits it, then answers 409', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await submitted(h);
    const crashing = failing(h.deps, 'writer', 'saveProfile');
    await expect(decideReply(crashing, CITY, uscc, { id, outcome: 'approved' })).rejects.toThrow('down');
    expect((await h.deps.reader.getProfile(uscc, true))?.reply).toBeNull();
    await expect(decideReply(h.deps, CITY, uscc, { id, outcome: 'approved' })).rejects.toMatchObject({
      message: `statement ${id} was already approved`,
      precondition: 'reply-pending',
    });
    expect((await h.deps.reader.getProfile(uscc, true))?.reply?.statementId).toBe(id);
    expect(await auditOf(h, uscc, 'reply.decide')).toEqual([
      expect.objectContaining({ id: `reply-decide:${id}`, at: DECIDED_AT, actor: CITY }),
    ]);
  });

  it('a retry over a decision recorded without its actor or time audits it as the city on the day decided', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await submitted(h);
    const pending = (await h.deps.workflow.getReplyStatement(uscc)) as ReplyStatement;
    await h.deps.workflow.putReplyStatement(pending, {
      ...pending,
      status: 'refused',
      decidedOn: '2026-12-01',
      decidedBy: 'old-official',
      decisionReason: '不符合要求',
    });
    await expect(decideReply(h.deps, CITY, uscc, { id, outcome: 'approved' })).rejects.toThrow(ConflictError);
    expect(await auditOf(h, uscc, 'reply.decide')).toEqual([
      {
        id: `reply-decide:${id}`,
        uscc,
        at: '2026-12-01T00:00:00+08:00',
        actor: { subject: 'old-official', role: 'city' },
        action: 'reply.decide',
        before: { id, status: 'pending' },
        after: { id, status: 'refused', reason: '不符合要求' },
      },
    ]);
    const anonymous = await gradedHospital(h);
    const { view } = await submitReply(h.deps, anonymous.me, anonymous.uscc, { text: '说明' });
    const held = (await h.deps.workflow.getReplyStatement(anonymous.uscc)) as ReplyStatement;
    await h.deps.workflow.putReplyStatement(held, { ...held, status: 'refused', decidedOn: '2026-12-01' });
    await expect(
      decideReply(h.deps, CITY, anonymous.uscc, { id: view.id, outcome: 'refused', reason: 'x' }),
    ).rejects.toThrow(ConflictError);
    expect((await auditOf(h, anonymous.uscc, 'reply.decide'))[0]?.actor).toEqual({
      subject: 'unknown',
      role: 'city',
    });
  });

  it('never decides a statement other than the latest: 409 naming the latest', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me, id } = await submitted(h, '说明甲');
    await decideReply(h.deps, CITY, uscc, { id, outcome: 'refused', reason: '措辞不当' });
    const { view } = await submitReply(h.deps, me, uscc, { text: '说明乙' });
    await expect(decideReply(h.deps, CITY, uscc, { id, outcome: 'approved' })).rejects.toMatchObject({
      message: `statement ${id} is not the institution's latest (that is ${view.id})`,
      precondition: 'reply-latest',
    });
    expect((await h.deps.workflow.getReplyStatement(uscc))?.status).toBe('pending');
  });
});
