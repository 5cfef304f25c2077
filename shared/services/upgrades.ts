import { createHmac } from 'node:crypto';
import { shanghaiIso, yearOf } from '../domain/dates.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import { validateScore } from '../domain/grading.ts';
import { canApplyForUpgrade } from '../domain/lifecycle.ts';
import type { InstitutionPrivate } from '../domain/model.ts';
import type { Actor, Grade, LocalDate } from '../domain/types.ts';
import { checkUpgradeEligibility, upgradeBanEnd } from '../domain/upgrade.ts';
import { purposeKey } from '../keys.ts';
import type { UpgradeApplication } from '../store/workflow.ts';
import { scoreAssessment } from './assessments.ts';
import {
  mustGetProfile,
  notify,
  recordAudit,
  requireRole,
  requireSight,
  type WorkflowDeps,
} from './context.ts';

/** What the regulators decide and the fields the assessment of an accepted application needs. */
export interface UpgradeDecision {
  /** accepted: re-assess (the new score decides, it may stay or fall); untrue: 自评不实 → 2-year ban. */
  outcome: 'accepted' | 'refused' | 'untrue';
  reason?: string | undefined;
  score?: number | undefined;
  breakdown?: Record<string, number> | undefined;
  assessedOn?: LocalDate | undefined;
}

type StoredApplication = UpgradeApplication & {
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
  const auth = canApplyForUpgrade(actor, uscc);
  if (!auth.allowed) throw new ForbiddenError(auth.reason);
  const problems = validateScore(input.selfScore, 'selfScore');
  if (problems.length > 0) throw new ValidationError('invalid self-assessment score', problems);
  const profile = await mustGetProfile(deps, uscc);
  if (profile.closed) throw new ConflictError(`institution ${uscc} is closed`);
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
  const eligibility = checkUpgradeEligibility({
    grade: profile.grade,
    today,
    applicationsThisYear: priv.upgradeYears.filter((y) => y === year).length,
    banUntil: priv.upgradeBanUntil,
  });
  if (!eligibility.eligible) {
    if (eligibility.rule === 'already_applied_this_year') await finishApplication(deps, actor, application);
    throw new RuleViolationError(eligibility.reason, eligibility.rule, {
      ...(eligibility.banUntil ? { banUntil: eligibility.banUntil } : {}),
    });
  }
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
  requireRole(actor, ['city'], 'decide upgrade applications');
  const application: StoredApplication | null = await deps.workflow.getApplication(id);
  if (!application) throw new NotFoundError(`no upgrade application with id ${id}`);
  if (application.status !== 'pending') {
    await finishDecision(deps, application);
    throw new ConflictError(`upgrade application ${id} was already decided (${application.status})`);
  }
  const today = deps.clock.today();
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
  const actor = a.decidedByActor ?? { subject: a.decidedBy ?? 'unknown', role: 'city' };
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
      { id: a.assessmentId, applicationId: a.id, asUpgradeDecision: true },
    ).catch((err: unknown) => {
      if (!(err instanceof ConflictError)) throw err;
    });
  }
  if (a.status === 'untrue' && a.banUntil) {
    const banUntil = a.banUntil;
    for (let attempt = 0; ; attempt++) {
      const priv = await mustGetPrivate(deps, a.uscc);
      if (priv.upgradeBanUntil && priv.upgradeBanUntil >= banUntil) break;
      try {
        await deps.writer.savePrivate(priv, {
          ...priv,
          upgradeBanUntil: banUntil,
          updatedAt: shanghaiIso(deps.clock.now()),
        });
        break;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 5) throw err;
      }
    }
  }
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

/** An application, for regulators and for the institution itself. */
export async function getApplication(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
): Promise<UpgradeApplication> {
  const application = await deps.workflow.getApplication(id);
  if (!application) throw new NotFoundError(`no upgrade application with id ${id}`);
  if (actor.role === 'institution') {
    if (actor.uscc !== application.uscc)
      throw new ForbiddenError('an institution sees only its own applications');
  } else {
    requireSight(actor, await mustGetProfile(deps, application.uscc));
  }
  return application;
}
