import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  StaleWriteError,
  ValidationError,
} from '#shared/domain/errors.ts';
import type { InstitutionPrivate } from '#shared/domain/model.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import { closeInstitution } from '#shared/services/institutions.ts';
import {
  applicationId,
  applyForUpgrade,
  decideUpgrade,
  getApplication,
  recordUntrueFinding,
} from '#shared/services/upgrades.ts';
import type { UpgradeApplication } from '#shared/store/workflow.ts';
import { testConfig } from '../../support/config.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import {
  CITY,
  districtOfficer,
  failing,
  institutionActor,
  override,
  publishScore,
  registeredClinic,
  registeredHospital,
  type ServiceHarness,
  serviceHarness,
} from '../../support/services.ts';

/**
 * Upgrades (主动升级) called on the service itself: who applies (a B or C institution, once a calendar
 * year, not while banned) and what an application stores and audits; the decision (accepted: an
 * assessment with the new score; refused; untrue: the 2-year ban), its notice and audit entry; an
 * untrue self-assessment found later; and retries that finish each step before they answer.
 */

const APPLIED_AT = '2026-11-28T09:00:00.000+08:00';
const SECRET = testConfig().CURSOR_SECRET;

const failingNotices = (h: ServiceHarness): WorkflowDeps => ({
  ...h.deps,
  notifier: { notify: () => Promise.reject(new Error('down')) },
});

async function graded(h: ServiceHarness, score = 90, kind: 'hospital' | 'clinic' = 'hospital') {
  const uscc = kind === 'clinic' ? await registeredClinic(h) : await registeredHospital(h);
  await publishScore(h, uscc, score, kind);
  return { uscc, me: institutionActor(uscc) };
}

async function applied(h: ServiceHarness, kind: 'hospital' | 'clinic' = 'hospital') {
  const g = await graded(h, 90, kind);
  const application = await applyForUpgrade(h.deps, g.me, g.uscc, { selfScore: 96, report: '自评报告' });
  h.clock.set('2026-12-02T15:00:00+08:00');
  return { ...g, id: application.id, application };
}
const DECIDED_AT = '2026-12-02T15:00:00.000+08:00';

/** A B institution's pending application of 2026, as stored. */
function pendingApplication(
  uscc: string,
  fields: Pick<UpgradeApplication, 'selfScore' | 'report' | 'submittedOn' | 'submittedBy'>,
): UpgradeApplication {
  return {
    id: applicationId(SECRET, uscc, 2026),
    uscc,
    year: 2026,
    ...fields,
    gradeAtApplication: 'B',
    status: 'pending',
    decidedOn: null,
    decidedBy: null,
    decisionReason: null,
    assessmentId: null,
    banUntil: null,
    version: 1,
  };
}

const privateOf = async (h: ServiceHarness, uscc: string) =>
  (await h.deps.reader.getPrivate(uscc)) as InstitutionPrivate;
const auditOf = async (h: ServiceHarness, uscc: string, action: string) =>
  (await h.audit(uscc)).filter((e) => e.action === action);

/** Stores the application as an earlier request left it: decided on 1 December by `old-official`, with `fields`. */
async function decidedEarlier(h: ServiceHarness, id: string, fields: Partial<UpgradeApplication>) {
  const pending = (await h.deps.workflow.getApplication(id)) as UpgradeApplication;
  await h.deps.workflow.replaceApplication(pending, {
    ...pending,
    decidedOn: '2026-12-01',
    decidedBy: 'old-official',
    ...fields,
  } as Omit<UpgradeApplication, 'version'>);
}

describe('applicationId', () => {
  it('is fixed by the institution and the year, and unguessable without the secret', () => {
    const id = applicationId(SECRET, 'U1', 2026);
    expect(id).toMatch(/^upg-[0-9a-f]{32}$/);
    expect(applicationId(SECRET, 'U1', 2026)).toBe(id);
    const others = [
      applicationId(SECRET, 'U2', 2026),
      applicationId(SECRET, 'U1', 2027),
      applicationId('x', 'U1', 2026),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('stays the one issued before: stored applications and the links sent for them keep working', () => {
    expect(applicationId('test-secret', '91330106MA00000016', 2026)).toBe(
      'upg-f8655db4f3510c40bfddc57c5c09c07d',
    );
    expect(applicationId('test-secret', '91330106MA00000016', 2027)).toBe(
      'upg-15f877b3e67ca3892133249a48db7d9d',
    );
  });
});

describe('applying for an upgrade', () => {
  const dynamo = useTestDynamo();

  it('stores a pending application of the year, takes the year on the regulator record and audits it', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await graded(h);
    const report = '报'.repeat(201);
    const application = await applyForUpgrade(h.deps, me, uscc, { selfScore: 96, report });
    const expected = {
      ...pendingApplication(uscc, {
        selfScore: 96,
        report,
        submittedOn: '2026-11-28',
        submittedBy: me.subject,
      }),
      submittedAt: APPLIED_AT,
    };
    expect(application).toEqual(expected);
    expect(await h.deps.workflow.getApplication(application.id)).toEqual(expected);
    expect(await privateOf(h, uscc)).toMatchObject({ upgradeYears: [2026], updatedAt: APPLIED_AT });
    expect(await auditOf(h, uscc, 'upgrade.apply')).toEqual([
      {
        id: `upgrade-apply:${application.id}`,
        uscc,
        at: APPLIED_AT,
        actor: me,
        action: 'upgrade.apply',
        before: null,
        after: { ...expected, report: `${'报'.repeat(200)}…` },
      },
    ]);
  });

  it('audits a report of 200 characters whole', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await graded(h, 80);
    const report = '报'.repeat(200);
    await applyForUpgrade(h.deps, me, uscc, { selfScore: 96, report });
    expect((await auditOf(h, uscc, 'upgrade.apply'))[0]?.after).toMatchObject({
      report,
      gradeAtApplication: 'C',
    });
  });

  it('is the institution’s own, with a valid self-assessment score, of a known institution', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await graded(h);
    const other = await registeredHospital(h);
    for (const actor of [institutionActor(other), CITY]) {
      await expect(applyForUpgrade(h.deps, actor, uscc, { selfScore: 96, report: 'r' })).rejects.toThrow(
        ForbiddenError,
      );
    }
    const invalid = await applyForUpgrade(h.deps, me, uscc, { selfScore: 100.5, report: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({
      message: 'invalid self-assessment score',
      errors: [{ path: 'selfScore', message: expect.stringContaining('100.5') }],
    });
    await expect(
      applyForUpgrade(h.deps, institutionActor('UNKNOWN'), 'UNKNOWN', { selfScore: 96, report: 'r' }),
    ).rejects.toThrow(new NotFoundError('no institution with uscc UNKNOWN'));
    const noRecord = { ...h.deps, reader: override(h.deps.reader, { getPrivate: async () => null }) };
    await expect(applyForUpgrade(noRecord, me, uscc, { selfScore: 96, report: 'r' })).rejects.toThrow(
      new NotFoundError(`institution ${uscc} has no regulator record`),
    );
    expect((await privateOf(h, uscc)).upgradeYears).toEqual([]);
  });

  it('is refused 422 to an A institution and a second time in a year, 409 when closed', async () => {
    const h = await serviceHarness(dynamo);
    const a = await graded(h, 97);
    await expect(applyForUpgrade(h.deps, a.me, a.uscc, { selfScore: 99, report: 'r' })).rejects.toMatchObject(
      {
        details: { precondition: 'upgradable-grade' },
      },
    );
    const b = await graded(h);
    await applyForUpgrade(h.deps, b.me, b.uscc, { selfScore: 96, report: 'r' });
    const again = await applyForUpgrade(h.deps, b.me, b.uscc, { selfScore: 96, report: 'r2' }).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(RuleViolationError);
    expect(again).toMatchObject({ details: { precondition: 'once-a-year' } });
    expect((await privateOf(h, b.uscc)).upgradeYears).toEqual([2026]);
    const c = await graded(h);
    await closeInstitution(h.deps, CITY, c.uscc);
    await expect(applyForUpgrade(h.deps, c.me, c.uscc, { selfScore: 96, report: 'r' })).rejects.toThrow(
      ConflictError,
    );
  });

  it('a retry after the year was taken creates the missing application and its audit entry, then 422', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await graded(h);
    const crashing = failing(h.deps, 'workflow', 'createApplication');
    await expect(applyForUpgrade(crashing, me, uscc, { selfScore: 96, report: 'r' })).rejects.toThrow('down');
    const id = applicationId(SECRET, uscc, 2026);
    expect(await h.deps.workflow.getApplication(id)).toBeNull();
    await expect(applyForUpgrade(h.deps, me, uscc, { selfScore: 96, report: 'r' })).rejects.toMatchObject({
      details: { precondition: 'once-a-year' },
    });
    expect(await h.deps.workflow.getApplication(id)).toMatchObject({ status: 'pending', selfScore: 96 });
    expect(await auditOf(h, uscc, 'upgrade.apply')).toHaveLength(1);
  });

  it('a retry audits the application as first stored, at its own time', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await graded(h);
    const crashing = failing(h.deps, 'audit', 'record');
    await expect(applyForUpgrade(crashing, me, uscc, { selfScore: 96, report: '第一次' })).rejects.toThrow(
      'down',
    );
    h.clock.set('2026-11-29T10:00:00+08:00');
    await expect(applyForUpgrade(h.deps, me, uscc, { selfScore: 92, report: '第二次' })).rejects.toThrow(
      RuleViolationError,
    );
    expect(await auditOf(h, uscc, 'upgrade.apply')).toEqual([
      expect.objectContaining({
        at: APPLIED_AT,
        after: expect.objectContaining({ selfScore: 96, report: '第一次' }),
      }),
    ]);
  });

  it('a retry over an application stored without its time audits it at the start of the day it was submitted', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await graded(h);
    const priv = await privateOf(h, uscc);
    await h.deps.writer.savePrivate(priv, { ...priv, upgradeYears: [2026] });
    const id = applicationId(SECRET, uscc, 2026);
    await h.deps.workflow.createApplication(
      pendingApplication(uscc, {
        selfScore: 95,
        report: '旧申请',
        submittedOn: '2026-11-10',
        submittedBy: me.subject,
      }),
    );
    await expect(applyForUpgrade(h.deps, me, uscc, { selfScore: 96, report: 'r' })).rejects.toThrow(
      RuleViolationError,
    );
    expect(await auditOf(h, uscc, 'upgrade.apply')).toEqual([
      expect.objectContaining({ id: `upgrade-apply:${id}`, at: '2026-11-10T00:00:00+08:00' }),
    ]);
  });

  it('passes on a failure to store the application other than finding it there', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me } = await graded(h);
    await applyForUpgrade(h.deps, me, uscc, { selfScore: 96, report: 'r' });
    const down = failing(h.deps, 'workflow', 'createApplication');
    await expect(applyForUpgrade(down, me, uscc, { selfScore: 96, report: 'r' })).rejects.toThrow('down');
  });
});

describe('deciding an application', () => {
  const dynamo = useTestDynamo();

  it('accepted by the city: the application carries the assessment, scored with the new score; notice and audit', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id, application } = await applied(h);
    const decision = { outcome: 'accepted' as const, score: 95.5, reason: '材料属实' };
    const decided = await decideUpgrade(h.deps, CITY, id, decision);
    const expected = {
      ...application,
      status: 'accepted',
      decidedOn: '2026-12-02',
      decidedBy: CITY.subject,
      decisionReason: '材料属实',
      assessmentId: `upg-${id}`,
      banUntil: null,
      decision,
      decidedByActor: CITY,
      decidedAt: DECIDED_AT,
      version: 2,
    };
    expect(decided).toEqual(expected);
    expect(await h.deps.workflow.getApplication(id)).toEqual(expected);
    expect(await h.deps.results.get(`upg-${id}`)).toMatchObject({
      uscc,
      score: 95.5,
      grade: 'A',
      reason: 'upgrade',
      assessedOn: '2026-12-02',
      status: 'scored',
      applicationId: id,
      createdBy: CITY.subject,
    });
    expect(h.notices.intents.filter((n) => n.kind.startsWith('upgrade'))).toEqual([
      {
        uscc,
        kind: 'upgrade_accepted',
        cycle: id,
        params: { year: 2026, reason: '材料属实', banUntil: null, assessmentId: `upg-${id}` },
        on: '2026-12-02',
      },
    ]);
    expect(await auditOf(h, uscc, 'upgrade.decide')).toEqual([
      {
        id: `upgrade-decide:${id}`,
        uscc,
        at: DECIDED_AT,
        actor: CITY,
        action: 'upgrade.decide',
        before: { status: 'pending' },
        after: { status: 'accepted', reason: '材料属实', banUntil: null, assessmentId: `upg-${id}` },
      },
    ]);
  });

  it('accepted with an assessment date scores it on that day', async () => {
    const h = await serviceHarness(dynamo);
    const { id } = await applied(h);
    await decideUpgrade(h.deps, CITY, id, { outcome: 'accepted', score: 96, assessedOn: '2026-12-01' });
    expect(await h.deps.results.get(`upg-${id}`)).toMatchObject({ assessedOn: '2026-12-01' });
  });

  it('a clinic’s is accepted by its district, which scores it; the city may refuse it but not accept it', async () => {
    const h = await serviceHarness(dynamo);
    const { id } = await applied(h, 'clinic');
    await expect(decideUpgrade(h.deps, CITY, id, { outcome: 'accepted', score: 96 })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      decideUpgrade(h.deps, districtOfficer('滨江区'), id, { outcome: 'accepted', score: 96 }),
    ).rejects.toThrow(ForbiddenError);
    await decideUpgrade(h.deps, districtOfficer('西湖区'), id, { outcome: 'accepted', score: 96 });
    expect(await h.deps.results.get(`upg-${id}`)).toMatchObject({
      createdBy: 'test-district',
      status: 'scored',
    });
  });

  it('accepted needs a valid new score: 400 naming it, nothing decided', async () => {
    const h = await serviceHarness(dynamo);
    const { id } = await applied(h);
    for (const [score, message] of [
      [undefined, 'an accepted application needs the new score'],
      [100.5, expect.stringContaining('100.5')],
    ] as const) {
      const err = await decideUpgrade(h.deps, CITY, id, { outcome: 'accepted', score }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ message: 'invalid decision', errors: [{ path: 'score', message }] });
    }
    expect((await h.deps.workflow.getApplication(id))?.status).toBe('pending');
  });

  it('refused: no assessment, the refusal notice and audit', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    const decided = await decideUpgrade(h.deps, CITY, id, { outcome: 'refused' });
    expect(decided).toMatchObject({
      status: 'refused',
      decisionReason: null,
      assessmentId: null,
      banUntil: null,
    });
    expect(await h.deps.results.get(`upg-${id}`)).toBeNull();
    expect(h.notices.intents.filter((n) => n.kind.startsWith('upgrade'))).toEqual([
      expect.objectContaining({
        kind: 'upgrade_refused',
        params: { year: 2026, reason: null, banUntil: null, assessmentId: null },
      }),
    ]);
    expect((await privateOf(h, uscc)).upgradeBanUntil ?? null).toBeNull();
  });

  it('refused or untrue with a score sent along: only an acceptance is re-assessed, a refusal leaves the regulator record', async () => {
    const h = await serviceHarness(dynamo);
    for (const outcome of ['refused', 'untrue'] as const) {
      const { uscc, id } = await applied(h);
      const before = await privateOf(h, uscc);
      const assessed = (await h.deps.results.listForInstitution(uscc)).map((r) => r.id);
      await decideUpgrade(h.deps, CITY, id, { outcome, score: 99, reason: '分数不足' });
      expect(
        (await h.deps.results.listForInstitution(uscc)).map((r) => r.id),
        outcome,
      ).toEqual(assessed);
      if (outcome === 'refused') expect(await privateOf(h, uscc)).toEqual(before);
    }
  });

  it('untrue: bans applications for 2 years from the decision', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, me, id } = await applied(h);
    const decided = await decideUpgrade(h.deps, CITY, id, { outcome: 'untrue', reason: '自评不实' });
    expect(decided).toMatchObject({ status: 'untrue', banUntil: '2028-12-02', assessmentId: null });
    expect((await privateOf(h, uscc)).upgradeBanUntil).toBe('2028-12-02');
    expect(h.notices.intents.filter((n) => n.kind.startsWith('upgrade'))).toEqual([
      expect.objectContaining({
        kind: 'upgrade_banned',
        params: { year: 2026, reason: '自评不实', banUntil: '2028-12-02', assessmentId: null },
      }),
    ]);
    h.clock.set('2027-03-01T10:00:00+08:00');
    await expect(applyForUpgrade(h.deps, me, uscc, { selfScore: 96, report: 'r' })).rejects.toMatchObject({
      details: { precondition: 'not-banned', banUntil: '2028-12-02' },
    });
  });

  it('a ban never shortens one that runs as long or longer', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    const priv = await privateOf(h, uscc);
    const held = await h.deps.writer.savePrivate(priv, { ...priv, upgradeBanUntil: '2029-01-01' });
    await decideUpgrade(h.deps, CITY, id, { outcome: 'untrue', reason: '自评不实' });
    expect(await privateOf(h, uscc)).toEqual(held);

    const other = await applied(h);
    const before = await privateOf(h, other.uscc);
    const same = await h.deps.writer.savePrivate(before, { ...before, upgradeBanUntil: '2028-12-02' });
    await decideUpgrade(h.deps, CITY, other.id, { outcome: 'untrue', reason: '自评不实' });
    expect(await privateOf(h, other.uscc)).toEqual(same);
  });

  it('lengthens a shorter ban to 2 years from the decision', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    const priv = await privateOf(h, uscc);
    await h.deps.writer.savePrivate(priv, { ...priv, upgradeBanUntil: '2027-06-30' });
    await decideUpgrade(h.deps, CITY, id, { outcome: 'untrue', reason: '自评不实' });
    expect((await privateOf(h, uscc)).upgradeBanUntil).toBe('2028-12-02');
  });

  it('sets the ban over a concurrent change to the regulator record, up to six attempts', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    let raced = false;
    const racing = {
      ...h.deps,
      writer: override(h.deps.writer, {
        savePrivate: async (previous: InstitutionPrivate, next: Omit<InstitutionPrivate, 'version'>) => {
          if (!raced) {
            raced = true;
            const current = await privateOf(h, uscc);
            await h.deps.writer.savePrivate(current, { ...current, offSiteSupervised: true });
          }
          return h.deps.writer.savePrivate(previous, next);
        },
      }),
    };
    await decideUpgrade(racing, CITY, id, { outcome: 'untrue', reason: '自评不实' });
    expect(await privateOf(h, uscc)).toMatchObject({
      upgradeBanUntil: '2028-12-02',
      offSiteSupervised: true,
    });

    const other = await applied(h);
    let writes = 0;
    const stuck = {
      ...h.deps,
      writer: override(h.deps.writer, {
        savePrivate: () => {
          writes++;
          return Promise.reject(new StaleWriteError('changed concurrently'));
        },
      }),
    };
    await expect(decideUpgrade(stuck, CITY, other.id, { outcome: 'untrue', reason: 'x' })).rejects.toThrow(
      StaleWriteError,
    );
    expect(writes).toBe(6);
  });

  it('a retry of a decision that stopped after its commit finishes the assessment, notice and audit, then 409', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    await expect(
      decideUpgrade(failingNotices(h), CITY, id, { outcome: 'accepted', score: 96, reason: '属实' }),
    ).rejects.toThrow('down');
    expect(await auditOf(h, uscc, 'upgrade.decide')).toEqual([]);
    h.clock.set('2026-12-03T10:00:00+08:00');
    await expect(decideUpgrade(h.deps, CITY, id, { outcome: 'refused' })).rejects.toMatchObject({
      message: 'the upgrade application was already decided (accepted)',
      precondition: 'application-pending',
    });
    expect(h.notices.intents.filter((n) => n.kind.startsWith('upgrade'))).toEqual([
      expect.objectContaining({ kind: 'upgrade_accepted', on: '2026-12-02' }),
    ]);
    expect(await auditOf(h, uscc, 'upgrade.decide')).toEqual([
      expect.objectContaining({
        at: DECIDED_AT,
        actor: CITY,
        after: expect.objectContaining({ status: 'accepted' }),
      }),
    ]);
    expect(await h.deps.results.get(`upg-${id}`)).toMatchObject({ score: 96, assessedOn: '2026-12-02' });
  });

  it('passes on a failure to store the assessment; a retry scores it with the decision’s score, then 409', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    const down = failing(h.deps, 'results', 'create');
    await expect(
      decideUpgrade(down, CITY, id, { outcome: 'accepted', score: 96, reason: '属实' }),
    ).rejects.toThrow('down');
    expect(await h.deps.results.get(`upg-${id}`)).toBeNull();
    expect(await auditOf(h, uscc, 'upgrade.decide')).toEqual([]);
    await expect(decideUpgrade(h.deps, CITY, id, { outcome: 'refused' })).rejects.toThrow(ConflictError);
    expect(await h.deps.results.get(`upg-${id}`)).toMatchObject({ score: 96, applicationId: id });
    expect(await auditOf(h, uscc, 'upgrade.decide')).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ status: 'accepted' }) }),
    ]);
  });

  it('a retry over an acceptance recorded without its score finishes notice and audit, assessing nothing, then 409', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    await decidedEarlier(h, id, { status: 'accepted', assessmentId: `upg-${id}` });
    await expect(decideUpgrade(h.deps, CITY, id, { outcome: 'refused' })).rejects.toMatchObject({
      message: 'the upgrade application was already decided (accepted)',
      precondition: 'application-pending',
    });
    expect(await h.deps.results.get(`upg-${id}`)).toBeNull();
    expect(h.notices.intents.filter((n) => n.kind.startsWith('upgrade'))).toEqual([
      expect.objectContaining({ kind: 'upgrade_accepted', on: '2026-12-01' }),
    ]);
    expect(await auditOf(h, uscc, 'upgrade.decide')).toHaveLength(1);
  });

  it('a retry over a clinic’s acceptance recorded without its actor still scores it, then 409', async () => {
    const h = await serviceHarness(dynamo);
    const { id } = await applied(h, 'clinic');
    await decidedEarlier(h, id, {
      status: 'accepted',
      assessmentId: `upg-${id}`,
      decision: { outcome: 'accepted', score: 96 },
    } as Partial<UpgradeApplication>);
    await expect(
      decideUpgrade(h.deps, districtOfficer('西湖区'), id, { outcome: 'refused' }),
    ).rejects.toMatchObject({ precondition: 'application-pending' });
    expect(await h.deps.results.get(`upg-${id}`)).toMatchObject({
      score: 96,
      assessedOn: '2026-12-01',
      status: 'scored',
      createdBy: 'old-official',
    });
  });

  it('a retry over a decision recorded without its actor or time audits it as the city on the day decided', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await applied(h);
    await decidedEarlier(h, id, { status: 'refused' });
    await expect(decideUpgrade(h.deps, CITY, id, { outcome: 'refused' })).rejects.toThrow(ConflictError);
    expect(await auditOf(h, uscc, 'upgrade.decide')).toEqual([
      expect.objectContaining({
        at: '2026-12-01T00:00:00+08:00',
        actor: { subject: 'old-official', role: 'city' },
      }),
    ]);
    expect(h.notices.intents.filter((n) => n.kind.startsWith('upgrade'))).toEqual([
      expect.objectContaining({ kind: 'upgrade_refused', on: '2026-12-01' }),
    ]);
  });

  it('is 404 for an unknown application, 403 to a district on a hospital, 409 for a closed institution', async () => {
    const h = await serviceHarness(dynamo);
    await expect(decideUpgrade(h.deps, CITY, 'upg-none', { outcome: 'refused' })).rejects.toThrow(
      new NotFoundError('no upgrade application with id upg-none'),
    );
    const { uscc, id } = await applied(h);
    await expect(
      decideUpgrade(h.deps, districtOfficer('上城区'), id, { outcome: 'refused' }),
    ).rejects.toThrow(ForbiddenError);
    await closeInstitution(h.deps, CITY, uscc);
    await expect(decideUpgrade(h.deps, CITY, id, { outcome: 'refused' })).rejects.toMatchObject({
      precondition: 'institution-open',
    });
    expect((await h.deps.workflow.getApplication(id))?.status).toBe('pending');
  });
});

describe('an untrue self-assessment found later', () => {
  const dynamo = useTestDynamo();

  async function refused(h: ServiceHarness) {
    const a = await applied(h);
    await decideUpgrade(h.deps, CITY, a.id, { outcome: 'refused', reason: '分数不足' });
    h.clock.set('2027-02-10T11:00:00+08:00');
    return a;
  }
  const FOUND_AT = '2027-02-10T11:00:00.000+08:00';

  it('bans applications for 2 years from the finding, notifies and audits it', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, id } = await refused(h);
    const input = { foundOn: '2027-02-09', foundAt: 'inspection' as const, reason: '现场检查发现自评不实' };
    const stored = await recordUntrueFinding(h.deps, CITY, id, input);
    const finding = { ...input, foundBy: CITY.subject, foundByActor: CITY, foundAtTime: FOUND_AT };
    expect(stored).toMatchObject({ status: 'refused', banUntil: '2029-02-09', untrueFinding: finding });
    expect(await h.deps.workflow.getApplication(id)).toEqual(stored);
    expect((await privateOf(h, uscc)).upgradeBanUntil).toBe('2029-02-09');
    expect(h.notices.intents.filter((n) => n.cycle === `${id}:finding`)).toEqual([
      {
        uscc,
        kind: 'upgrade_banned',
        cycle: `${id}:finding`,
        params: { year: 2026, reason: '现场检查发现自评不实', banUntil: '2029-02-09', assessmentId: null },
        on: '2027-02-09',
      },
    ]);
    const { foundByActor: _, ...shown } = finding;
    expect(await auditOf(h, uscc, 'upgrade.untrue_finding')).toEqual([
      {
        id: `upgrade-untrue:${id}`,
        uscc,
        at: FOUND_AT,
        actor: CITY,
        action: 'upgrade.untrue_finding',
        before: { status: 'refused', banUntil: null },
        after: { status: 'refused', untrueFinding: shown, banUntil: '2029-02-09' },
      },
    ]);
  });

  it('takes a finding of today or of the decision’s day, never of the future or before the decision', async () => {
    const h = await serviceHarness(dynamo);
    const { id } = await refused(h);
    for (const [foundOn, message, field] of [
      ['2027-02-11', 'the finding cannot be in the future', 'must be today (2027-02-10) or earlier'],
      [
        '2026-12-01',
        'the finding comes after the decision',
        'must be on or after the decision of 2026-12-02',
      ],
    ] as const) {
      const err = await recordUntrueFinding(h.deps, CITY, id, {
        foundOn,
        foundAt: 'review',
        reason: 'r',
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ message, errors: [{ path: 'foundOn', message: field }] });
    }
    expect((await h.deps.workflow.getApplication(id))?.banUntil).toBeNull();
    await recordUntrueFinding(h.deps, CITY, id, { foundOn: '2026-12-02', foundAt: 'review', reason: 'r' });
    const h2 = await serviceHarness(dynamo);
    const other = await refused(h2);
    await recordUntrueFinding(h2.deps, CITY, other.id, {
      foundOn: '2027-02-10',
      foundAt: 'review',
      reason: 'r',
    });
    expect((await h2.deps.workflow.getApplication(other.id))?.banUntil).toBe('2029-02-10');
  });

  it('is 409 for a pending application and for one found untrue already, which it finishes', async () => {
    const h = await serviceHarness(dynamo);
    const pending = await applied(h);
    const input = { foundOn: '2026-12-02', foundAt: 'review' as const, reason: 'r' };
    await expect(recordUntrueFinding(h.deps, CITY, pending.id, input)).rejects.toThrow(
      new ConflictError(
        `upgrade application ${pending.id} is not decided yet: decide it with outcome untrue instead`,
      ),
    );

    await decideUpgrade(h.deps, CITY, pending.id, { outcome: 'untrue', reason: '自评不实' });
    await expect(recordUntrueFinding(h.deps, CITY, pending.id, input)).rejects.toThrow(
      new ConflictError(
        `upgrade application ${pending.id} was already found untrue; the ban runs until 2028-12-02`,
      ),
    );
    expect(h.notices.intents.filter((n) => n.cycle === `${pending.id}:finding`)).toEqual([]);

    const { uscc, id } = await refused(h);
    await expect(
      recordUntrueFinding(failingNotices(h), CITY, id, {
        foundOn: '2027-02-10',
        foundAt: 'inspection',
        reason: 'r',
      }),
    ).rejects.toThrow('down');
    await expect(
      recordUntrueFinding(h.deps, CITY, id, { foundOn: '2027-02-10', foundAt: 'inspection', reason: 'r' }),
    ).rejects.toThrow(
      new ConflictError(`upgrade application ${id} was already found untrue; the ban runs until 2029-02-10`),
    );
    expect(h.notices.intents.filter((n) => n.cycle === `${id}:finding`)).toHaveLength(1);
    expect(await auditOf(h, uscc, 'upgrade.untrue_finding')).toHaveLength(1);
  });

  it('is 404 for an unknown application and 403 to a district on a hospital', async () => {
    const h = await serviceHarness(dynamo);
    const input = { foundOn: '2026-11-23', foundAt: 'review' as const, reason: 'r' };
    await expect(recordUntrueFinding(h.deps, CITY, 'upg-none', input)).rejects.toThrow(
      new NotFoundError('no upgrade application with id upg-none'),
    );
    const { id } = await refused(h);
    await expect(recordUntrueFinding(h.deps, districtOfficer('上城区'), id, input)).rejects.toThrow(
      ForbiddenError,
    );
  });
});

describe('reading an application', () => {
  const dynamo = useTestDynamo();

  it('shows the institution its application without who decided it, the regulators all of it', async () => {
    const h = await serviceHarness(dynamo);
    const { me, id } = await applied(h);
    await decideUpgrade(h.deps, CITY, id, { outcome: 'refused', reason: '分数不足' });
    const own = await getApplication(h.deps, me, id);
    expect(own).toMatchObject({ id, status: 'refused', decisionReason: '分数不足' });
    expect(own).not.toHaveProperty('decidedBy');
    expect(own).not.toHaveProperty('decidedByActor');
    expect(await getApplication(h.deps, CITY, id)).toMatchObject({
      decidedBy: CITY.subject,
      decidedByActor: CITY,
    });
    const stranger = institutionActor(await registeredHospital(h));
    await expect(getApplication(h.deps, stranger, id)).rejects.toThrow(ForbiddenError);
    await expect(getApplication(h.deps, CITY, 'upg-none')).rejects.toThrow(
      new NotFoundError('no upgrade application with id upg-none'),
    );
  });
});
