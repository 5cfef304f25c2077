import { createHmac } from 'node:crypto';
import { shanghaiIso, yearOf } from '../domain/dates.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { validateScore } from '../domain/grading.ts';
import type { InstitutionPrivate } from '../domain/model.ts';
import { concealFrom } from '../domain/permissions.ts';
import { enforce, refusal } from '../domain/preconditions.ts';
import type { Actor, Grade, LocalDate } from '../domain/types.ts';
import { canDecideUpgrade, type UntrueFoundAt, upgradeBanEnd } from '../domain/upgrade.ts';
import { purposeKey } from '../purpose-keys.ts';
import { retryOnConflict } from '../store/retry-on-conflict.ts';
import type { UpgradeApplication } from '../store/workflow.ts';
import { scoreAssessment } from './assessments.ts';
import { mustGetProfile, notify, recordAudit, requireScope, type WorkflowDeps } from './context.ts';

/** What the regulators decide and the fields the assessment of an accepted application needs. */
export interface UpgradeDecision {
  /** accepted: re-assess (the new score decides, it may stay or fall); untrue: 自评不实 → 2-year ban. */
  outcome: 'accepted' | 'refused' | 'untrue';
  reason?: string | undefined;
  score?: number | undefined;
  breakdown?: Record<string, number> | undefined;
  assessedOn?: LocalDate | undefined;
}

/** Regulators found the self-assessment untrue after the decision (at a re-review or an inspection). */
export interface UntrueFinding {
  foundOn: LocalDate;
  foundAt: Exclude<UntrueFoundAt, 'decision'>;
  reason: string;
  foundBy: string;
  foundByActor: Actor;
  foundAtTime: string;
}

type StoredApplication = UpgradeApplication & {
  untrueFinding?: UntrueFinding | null;
  decision?: UpgradeDecision | null;
  decidedByActor?: Actor | null;
  submittedAt?: string;
  decidedAt?: string | null;
};

/**
 * One application per institution and calendar year, so its id is fixed by both (a retry finds the
 * same item), keyed with the service secret so that knowing a uscc does not give the URL of its
 * application: 128 bits, unguessable.
 */
export function applicationId(secret: string, uscc: string, year: number): string {
  const tag = createHmac('sha256', purposeKey(secret, 'upgrade application id'))
    .update(`${uscc}\u0000${year}`)
    .digest('hex');
  return `upg-${tag.slice(0, 32)}`;
}

async function mustGetPrivate(deps: WorkflowDeps, uscc: string): Promise<InstitutionPrivate> {
  const priv = await deps.reader.getPrivate(uscc);
  if (!priv) throw new NotFoundError(`institution ${uscc} has no regulator record`);
  return priv;
}

/**
 * An institution applies to be re-graded (主动升级). Refused with 422 and the reason when it is not
 * B or C, already applied this calendar year, or banned (with the ban's end). Commit point: adding the
 * year to the PRIVATE item's `upgradeYears`, conditional on its version, so of concurrent applications
 * exactly one wins (the others get 409). After it the application item is created; a retry finds the
 * year taken, creates the item if it is missing, and answers 422 already applied.
 */
export async function applyForUpgrade(
  deps: WorkflowDeps,
  actor: Actor,
  uscc: string,
  input: { selfScore: number; report: string },
): Promise<UpgradeApplication> {
  requireScope('postV1InstitutionsByUsccUpgradeApplications', actor, { uscc });
  const problems = validateScore(input.selfScore, 'selfScore');
  if (problems.length > 0) throw new ValidationError('invalid self-assessment score', problems);
  const profile = await mustGetProfile(deps, uscc);
  const priv = await mustGetPrivate(deps, uscc);
  const today = deps.clock.today();
  const year = yearOf(today);
  const application: StoredApplication = {
    id: applicationId(deps.cursorSecret, uscc, year),
    uscc,
    year,
    selfScore: input.selfScore,
    report: input.report,
    gradeAtApplication: (profile.grade ?? 'D') as Grade,
    submittedOn: today,
    submittedBy: actor.subject,
    submittedAt: shanghaiIso(deps.clock.now()),
    status: 'pending',
    decidedOn: null,
    decidedBy: null,
    decisionReason: null,
    assessmentId: null,
    banUntil: null,
    version: 1,
  };
  const refused = refusal('apply_upgrade', {
    today,
    institution: { ...profile, upgradeYears: priv.upgradeYears, upgradeBanUntil: priv.upgradeBanUntil },
  });
  // A retry of an application already made finishes its item and audit entry before it is told so.
  if (refused?.precondition === 'once-a-year') await finishApplication(deps, actor, application);
  enforce('apply_upgrade', {
    today,
    institution: { ...profile, upgradeYears: priv.upgradeYears, upgradeBanUntil: priv.upgradeBanUntil },
  });
  await deps.writer.savePrivate(priv, {
    ...priv,
    upgradeYears: [...priv.upgradeYears, year],
    updatedAt: shanghaiIso(deps.clock.now()),
  });
  await finishApplication(deps, actor, application);
  return application;
}

async function finishApplication(deps: WorkflowDeps, actor: Actor, application: StoredApplication) {
  await deps.workflow.createApplication(application).catch((err: unknown) => {
    if (!(err instanceof ConflictError)) throw err;
  });
  const stored: StoredApplication = (await deps.workflow.getApplication(application.id)) ?? application;
  await recordAudit(deps, {
    id: `upgrade-apply:${stored.id}`,
    uscc: stored.uscc,
    at: stored.submittedAt ?? `${stored.submittedOn}T00:00:00+08:00`,
    actor,
    action: 'upgrade.apply',
    before: null,
    after: { ...stored, report: `${stored.report.slice(0, 200)}${stored.report.length > 200 ? '…' : ''}` },
  });
}

/**
 * The city decides an application. Commit point: the application's conditional write from `pending`.
 * After it: accepted → an assessment (reason `upgrade`, id fixed by the application) that goes through
 * the ordinary lifecycle; untrue → the 2-year ban on the PRIVATE item; then the notice and the audit.
 * A retry of a decided application finishes those and answers 409.
 */
export async function decideUpgrade(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  decision: UpgradeDecision,
): Promise<StoredApplication> {
  const application: StoredApplication | null = await deps.workflow.getApplication(id);
  if (!application) throw new NotFoundError(`no upgrade application with id ${id}`);
  const profile = await mustGetProfile(deps, application.uscc);
  const auth = canDecideUpgrade(actor, profile, decision.outcome);
  if (!auth.allowed) throw new ForbiddenError(auth.reason);
  const today = deps.clock.today();
  const facts = { today, institution: profile, applicationStatus: application.status };
  if (refusal('decide_upgrade', facts)?.precondition === 'application-pending') {
    await finishDecision(deps, application);
  }
  enforce('decide_upgrade', facts);
  if (decision.outcome === 'accepted') {
    const problems = [];
    if (decision.score === undefined)
      problems.push({ path: 'score', message: 'an accepted application needs the new score' });
    else problems.push(...validateScore(decision.score));
    if (problems.length > 0) throw new ValidationError('invalid decision', problems);
  }
  const decided = await deps.workflow.replaceApplication(application, {
    ...application,
    status: decision.outcome,
    decidedOn: today,
    decidedBy: actor.subject,
    decisionReason: decision.reason ?? null,
    assessmentId: decision.outcome === 'accepted' ? `upg-${id}` : null,
    banUntil: decision.outcome === 'untrue' ? upgradeBanEnd(today) : null,
    decision,
    decidedByActor: actor,
    decidedAt: shanghaiIso(deps.clock.now()),
  } as Omit<UpgradeApplication, 'version'>);
  await finishDecision(deps, decided);
  return decided;
}

async function finishDecision(deps: WorkflowDeps, a: StoredApplication) {
  const actor: Actor = a.decidedByActor ?? {
    // Stryker disable next-line StringLiteral: a decided application names who decided it (decideUpgrade writes both)
    subject: a.decidedBy ?? 'unknown',
    role: 'city',
  };
  const decision = a.decision;
  if (a.status === 'accepted' && a.assessmentId && decision?.score !== undefined) {
    await scoreAssessment(
      deps,
      actor,
      {
        uscc: a.uscc,
        score: decision.score,
        breakdown: decision.breakdown,
        assessedOn: decision.assessedOn ?? a.decidedOn ?? deps.clock.today(),
        reason: 'upgrade',
      },
      // A clinic's is scored by its district officer, who decided it (canDecideUpgrade), as any clinic result.
      { id: a.assessmentId, applicationId: a.id, asUpgradeDecision: actor.role === 'city' },
    ).catch((err: unknown) => {
      if (!(err instanceof ConflictError)) throw err;
    });
  }
  // Stryker disable next-line LogicalOperator: another status carries a ban only from a later finding, which sets that same ban itself
  if (a.status === 'untrue' && a.banUntil) await banUpgrades(deps, a.uscc, a.banUntil);
  const kind =
    a.status === 'accepted'
      ? 'upgrade_accepted'
      : a.status === 'untrue'
        ? 'upgrade_banned'
        : 'upgrade_refused';
  await notify(deps, [
    {
      uscc: a.uscc,
      kind,
      cycle: a.id,
      params: {
        year: a.year,
        reason: a.decisionReason,
        banUntil: a.banUntil,
        assessmentId: a.assessmentId,
      },
      on: a.decidedOn ?? deps.clock.today(),
    },
  ]);
  await recordAudit(deps, {
    id: `upgrade-decide:${a.id}`,
    uscc: a.uscc,
    at: a.decidedAt ?? `${a.decidedOn}T00:00:00+08:00`,
    actor,
    action: 'upgrade.decide',
    before: { status: 'pending' },
    after: { status: a.status, reason: a.decisionReason, banUntil: a.banUntil, assessmentId: a.assessmentId },
  });
}

/** Sets the institution's upgrade ban to at least `banUntil` (a later ban never shortens an earlier one). */
async function banUpgrades(deps: WorkflowDeps, uscc: string, banUntil: LocalDate): Promise<void> {
  await retryOnConflict(
    async () => {
      const priv = await mustGetPrivate(deps, uscc);
      if (priv.upgradeBanUntil && priv.upgradeBanUntil >= banUntil) return;
      await deps.writer.savePrivate(priv, {
        ...priv,
        upgradeBanUntil: banUntil,
        updatedAt: shanghaiIso(deps.clock.now()),
      });
    },
    { attempts: 6 },
  );
}

/**
 * Regulators find, after an application was decided, that its self-assessment was untrue (at a
 * re-review or an inspection): the 2-year ban runs from the day of the finding (DOMAIN.md "Upgrade").
 * The city records it; a district officer for the clinics of its district. Commit point: the
 * application's conditional write; after it the ban, the notice and the audit entry, each idempotent.
 */
export async function recordUntrueFinding(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  input: { foundOn: LocalDate; foundAt: Exclude<UntrueFoundAt, 'decision'>; reason: string },
): Promise<StoredApplication> {
  const application: StoredApplication | null = await deps.workflow.getApplication(id);
  if (!application) throw new NotFoundError(`no upgrade application with id ${id}`);
  const profile = await mustGetProfile(deps, application.uscc);
  // Stryker disable next-line StringLiteral: the permission table grants the finding as the decision, and only acceptance adds a check
  const auth = canDecideUpgrade(actor, profile, 'untrue');
  if (!auth.allowed) throw new ForbiddenError(auth.reason);
  const today = deps.clock.today();
  if (input.foundOn > today) {
    throw new ValidationError('the finding cannot be in the future', [
      { path: 'foundOn', message: `must be today (${today}) or earlier` },
    ]);
  }
  if (application.status === 'pending') {
    throw new ConflictError(
      `upgrade application ${id} is not decided yet: decide it with outcome untrue instead`,
    );
  }
  if (application.status === 'untrue' || application.untrueFinding) {
    await finishUntrueFinding(deps, application);
    throw new ConflictError(
      `upgrade application ${id} was already found untrue; the ban runs until ${application.banUntil}`,
    );
  }
  if (application.decidedOn && input.foundOn < application.decidedOn) {
    throw new ValidationError('the finding comes after the decision', [
      { path: 'foundOn', message: `must be on or after the decision of ${application.decidedOn}` },
    ]);
  }
  const stored = await deps.workflow.replaceApplication(application, {
    ...application,
    banUntil: upgradeBanEnd(input.foundOn),
    untrueFinding: {
      ...input,
      foundBy: actor.subject,
      foundByActor: actor,
      foundAtTime: shanghaiIso(deps.clock.now()),
    },
  } as Omit<UpgradeApplication, 'version'>);
  await finishUntrueFinding(deps, stored);
  return stored;
}

async function finishUntrueFinding(deps: WorkflowDeps, a: StoredApplication): Promise<void> {
  const finding = a.untrueFinding;
  if (!finding || !a.banUntil) return;
  await banUpgrades(deps, a.uscc, a.banUntil);
  await notify(deps, [
    {
      uscc: a.uscc,
      kind: 'upgrade_banned',
      cycle: `${a.id}:finding`,
      params: { year: a.year, reason: finding.reason, banUntil: a.banUntil, assessmentId: a.assessmentId },
      on: finding.foundOn,
    },
  ]);
  await recordAudit(deps, {
    id: `upgrade-untrue:${a.id}`,
    uscc: a.uscc,
    at: finding.foundAtTime,
    actor: finding.foundByActor,
    action: 'upgrade.untrue_finding',
    before: { status: a.status, banUntil: null },
    after: { status: a.status, untrueFinding: { ...finding, foundByActor: undefined }, banUntil: a.banUntil },
  });
}

/** An application, for regulators and for the institution itself. */
export async function getApplication(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
): Promise<UpgradeApplication> {
  const application = await deps.workflow.getApplication(id);
  if (!application) throw new NotFoundError(`no upgrade application with id ${id}`);
  const institution = await mustGetProfile(deps, application.uscc);
  requireScope('getV1AdminUpgradeApplicationsById', actor, { institution });
  // An institution sees its application's state and reasons, not which official decided it.
  return concealFrom(actor.role, application);
}
