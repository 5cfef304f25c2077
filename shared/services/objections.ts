import { randomUUID } from 'node:crypto';
import { shanghaiIso } from '../domain/dates.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { effectiveStatus, nextStatus } from '../domain/lifecycle.ts';
import type { GradingResult, Objection } from '../domain/model.ts';
import type { Actor } from '../domain/types.ts';
import { mustGetResult, openObjections, project, type WorkflowResult } from './assessments.ts';
import { appendEvent, recordAudit, requireRole, type WorkflowDeps } from './context.ts';

/** Objection texts are at most this long (characters). */
export const OBJECTION_MAX_CHARS = 2000;

const PUBLIC: Actor = { subject: 'public', role: 'public' };

/** Objection ids carry their result id, so a resolution finds the objection with one GetItem. */
export function objectionId(resultId: string): string {
  return `${resultId}.${randomUUID().slice(0, 8)}`;
}

function resultIdOf(objectionId: string): string {
  const at = objectionId.lastIndexOf('.');
  if (at <= 0) throw new NotFoundError(`no objection with id ${objectionId}`);
  return objectionId.slice(0, at);
}

function inPublicity(r: GradingResult, today: string): boolean {
  return (
    effectiveStatus(r.status, r.publicity?.endOn, today) === 'in_publicity' &&
    r.publicity !== null &&
    r.publicity.startOn <= today
  );
}

/**
 * Anyone may object to a result while it is in publicity (异议). The objection item is written first
 * and then counted on the result with a conditional write; a publish racing with it either sees the
 * open objection or fails on the result's changed version. An objection that loses that race (the
 * publicity ended meanwhile) is closed as lodged too late and answered 409.
 */
export async function lodgeObjection(deps: WorkflowDeps, resultId: string, text: string): Promise<Objection> {
  const today = deps.clock.today();
  let result = await mustGetResult(deps, resultId);
  if (!inPublicity(result, today)) {
    throw new ConflictError(
      `assessment ${resultId} is not in publicity; objections are taken only during publicity`,
    );
  }
  const objection: Objection = {
    id: objectionId(resultId),
    resultId,
    lodgedAt: shanghaiIso(deps.clock.now()),
    text,
    status: 'open',
  };
  await deps.workflow.createObjection(objection);
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.results.replace(result, {
        ...result,
        openObjections: result.openObjections + 1,
        updatedAt: objection.lodgedAt,
      });
      break;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 8) throw err;
      result = await mustGetResult(deps, resultId);
      if (!inPublicity(result, today) || result.status !== 'in_publicity') {
        await deps.workflow.updateObjection(objection, {
          ...objection,
          status: 'dismissed',
          resolution: 'lodged after the publicity had ended (公示期已结束)',
        });
        throw new ConflictError(`assessment ${resultId} left publicity while the objection was being lodged`);
      }
    }
  }
  await recordAudit(deps, {
    id: `objection:${objection.id}`,
    uscc: result.uscc,
    at: objection.lodgedAt,
    actor: PUBLIC,
    action: 'objection.lodge',
    before: null,
    after: objection,
  });
  return objection;
}

type ResolvedObjection = Objection & { resolvedAt?: string; resolvedBy?: Actor };

/**
 * The city decides an objection. Upheld: commit point is withdrawing the result (conditional), then
 * the objection is marked upheld and `objection_upheld` + `withdrawn` are appended; a retry finds the
 * result withdrawn and finishes the rest. Dismissed: commit point is the objection's conditional
 * update; the result's open count follows. A retry of a decided objection finishes and answers 409.
 */
export async function resolveObjection(
  deps: WorkflowDeps,
  actor: Actor,
  id: string,
  decision: { upheld: boolean; resolution: string },
): Promise<{ objection: Objection; result: WorkflowResult }> {
  requireRole(actor, ['city'], 'resolve objections');
  const resultId = resultIdOf(id);
  const objection: ResolvedObjection | null = await deps.workflow.getObjection(resultId, id);
  if (!objection) throw new NotFoundError(`no objection with id ${id}`);
  let result = await mustGetResult(deps, resultId);
  const now = shanghaiIso(deps.clock.now());

  if (objection.status !== 'open') {
    if (objection.status === 'upheld') await finishUpheld(deps, objection, result);
    await finishCount(deps, resultId);
    throw new ConflictError(`objection ${id} was already decided (${objection.status})`);
  }

  const resolved: ResolvedObjection = {
    ...objection,
    status: decision.upheld ? 'upheld' : 'dismissed',
    resolution: decision.resolution,
    resolvedAt: now,
    resolvedBy: actor,
  };
  if (decision.upheld) {
    if (result.status !== 'withdrawn') {
      const today = deps.clock.today();
      const from = effectiveStatus(result.status, result.publicity?.endOn, today);
      if (!nextStatus(result.kind, from, 'withdraw')) {
        throw new ConflictError(`assessment ${resultId} is ${from}; an objection can no longer withdraw it`);
      }
      result = await deps.results.replace(result, {
        ...result,
        status: 'withdrawn',
        updatedAt: now,
        lastAction: 'withdraw',
        lastActor: actor,
        lastActionAt: now,
        previousStatus: result.status,
      } as Omit<GradingResult, 'version'>);
    }
    await markDecided(deps, objection, resolved);
    await finishUpheld(deps, resolved, result);
  } else {
    await deps.workflow.updateObjection(objection, resolved);
    await finishCount(deps, resultId);
  }
  await recordAudit(deps, {
    id: `objection-resolve:${id}`,
    uscc: result.uscc,
    at: resolved.resolvedAt ?? now,
    actor,
    action: 'objection.resolve',
    before: objection,
    after: resolved,
  });
  return { objection: resolved, result: await mustGetResult(deps, resultId) };
}

async function markDecided(deps: WorkflowDeps, previous: Objection, next: Objection) {
  try {
    await deps.workflow.updateObjection(previous, next);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}

async function finishUpheld(deps: WorkflowDeps, objection: ResolvedObjection, result: WorkflowResult) {
  await appendEvent(deps, {
    key: `objection_upheld:${objection.id}`,
    type: 'objection_upheld',
    uscc: result.uscc,
    district: result.district,
    occurredAt: objection.resolvedAt ?? result.updatedAt,
    before: { resultId: result.id, proposedGrade: result.grade, score: result.score },
    after: { resultId: result.id, objectionId: objection.id, resolution: objection.resolution ?? null },
  });
  await project(deps, result);
}

/** Keeps the result's open-objection count equal to its open objection items (informational). */
async function finishCount(deps: WorkflowDeps, resultId: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await mustGetResult(deps, resultId);
    const open = (await openObjections(deps, resultId)).length;
    if (result.openObjections === open || result.status === 'published' || result.status === 'withdrawn')
      return;
    try {
      await deps.results.replace(result, { ...result, openObjections: open });
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}
