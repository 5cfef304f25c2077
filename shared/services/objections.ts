import { createHash, randomUUID } from 'node:crypto';
import { secondsToShanghaiMidnight, shanghaiIso } from '../domain/dates.ts';
import { ConflictError, NotFoundError, StaleWriteError, TooManyRequestsError } from '../domain/errors.ts';
import { effectiveStatus, nextStatus } from '../domain/lifecycle.ts';
import type { GradingResult, Objection } from '../domain/model.ts';
import { newReference } from '../domain/objection-reference.ts';
import { enforce, refusal } from '../domain/preconditions.ts';
import type { Actor } from '../domain/types.ts';
import type { ObjectionReceipt } from '../store/objection-receipts.ts';
import { retryOnConflict } from '../store/retry-on-conflict.ts';
import { mustGetResult, openObjections } from './assessments.ts';
import { appendEvent, mustGetProfile, recordAudit, requireScope, type WorkflowDeps } from './context.ts';
import { project, type WorkflowResult } from './result-projection.ts';

/** Objection texts are at most this long (characters). */
export const OBJECTION_MAX_CHARS = 2000;

/** Objections one client address may lodge against one result per day (Asia/Shanghai). */
export const OBJECTIONS_PER_CLIENT_PER_DAY = 3;
/** Open objections one result may carry; more are refused until a regulator triages some. */
export const OPEN_OBJECTIONS_PER_RESULT = 50;
/** Retry-After when a result is at its open-objection cap. */
const CAP_RETRY_SECONDS = 3600;

function textHash(text: string): string {
  const hash = createHash('sha256').update(text.normalize('NFC').replace(/\s+/g, ' ').trim());
  // Stryker disable next-line MethodExpression,StringLiteral: a digest is only compared with the digest of the same text: its encoding and length change nothing
  return hash.digest('hex').slice(0, 32);
}

const PUBLIC: Actor = { subject: 'public', role: 'public' };

/**
 * Objection ids carry their result id, so a resolution finds the objection with one GetItem, and 122
 * random bits, so one objection's id tells nothing of another's.
 */
export function objectionId(resultId: string): string {
  return `${resultId}.${randomUUID().replaceAll('-', '')}`;
}

function resultIdOf(objectionId: string): string {
  const at = objectionId.lastIndexOf('.');
  // Stryker disable next-line ConditionalExpression,EqualityOperator: an id without a result part before its dot finds no objection either: the same 404
  if (at <= 0) throw new NotFoundError(`no objection with id ${objectionId}`);
  return objectionId.slice(0, at);
}

/**
 * Anyone may object to a result while it is in publicity (异议). The objection item is written first
 * and then counted on the result with a conditional write; a publish racing with it either sees the
 * open objection or fails on the result's changed version. An objection that loses that race (the
 * publicity ended meanwhile) is deleted again and answered 409: a refused objection is never stored.
 * Limits (429 with Retry-After): OBJECTIONS_PER_CLIENT_PER_DAY per keyed-hash client address per result
 * per day, and OPEN_OBJECTIONS_PER_RESULT open ones per result. The same text to the same result is
 * answered 409 naming the objection already lodged.
 */
export async function lodgeObjection(
  deps: WorkflowDeps,
  resultId: string,
  text: string,
  /** The client's address as a keyed hash (http/keys.ts clientKey): never the address itself. */
  client: string,
): Promise<Objection> {
  const today = deps.clock.today();
  const now = deps.clock.now();
  let result = await mustGetResult(deps, resultId);
  const institution = await mustGetProfile(deps, result.uscc);
  enforce('object', { today, result, institution });
  const atCap = () =>
    new TooManyRequestsError(
      `assessment ${resultId} already has ${OPEN_OBJECTIONS_PER_RESULT} open objections awaiting review`,
      CAP_RETRY_SECONDS,
      'open_objections_per_result',
    );
  if (result.openObjections >= OPEN_OBJECTIONS_PER_RESULT) throw atCap();
  const untilMidnight = secondsToShanghaiMidnight(now);
  const taken = await deps.workflow.takeQuota(
    `${client}#${resultId}#${today}`,
    OBJECTIONS_PER_CLIENT_PER_DAY,
    Math.floor(now.getTime() / 1000) + untilMidnight + 86_400,
  );
  if (!taken) {
    throw new TooManyRequestsError(
      `at most ${OBJECTIONS_PER_CLIENT_PER_DAY} objections to one result per day from one client`,
      untilMidnight,
      'objections_per_client_per_day',
    );
  }
  const id = objectionId(resultId);
  // The same text to the same result is one objection: the second is refused with the first's id.
  const hash = textHash(text);
  const held = await deps.workflow.claimObjectionText(resultId, hash, id);
  if (held !== null) {
    throw new ConflictError(`the same objection to ${resultId} was already lodged as ${held}`);
  }
  const reference = await claimReference(deps, {
    objectionId: id,
    resultId,
    uscc: result.uscc,
    receivedOn: today,
    publicityEndOn: result.publicity?.endOn ?? today,
    status: 'open',
    decidedOn: null,
    reason: null,
  });
  const objection: Objection = { id, resultId, lodgedAt: shanghaiIso(now), text, status: 'open', reference };
  /** Nothing of a refused objection stays stored. */
  const unlodge = async () => {
    await deps.workflow.deleteObjection(resultId, objection.id);
    await deps.workflow.releaseObjectionText(resultId, hash);
    await deps.receipts.release(reference);
  };
  await deps.workflow.createObjection(objection);
  await retryOnConflict(
    async (attempt) => {
      if (attempt > 0) {
        result = await mustGetResult(deps, resultId);
        const left = refusal('object', { today, result, institution }) !== null;
        if (left || result.openObjections >= OPEN_OBJECTIONS_PER_RESULT) {
          // Lost a race to the cap or to the end of publicity: nothing of this objection stays stored.
          await unlodge();
          throw left
            ? new ConflictError(`assessment ${resultId} left publicity while the objection was being lodged`)
            : atCap();
        }
      }
      await deps.results.replace(result, {
        ...result,
        openObjections: result.openObjections + 1,
        updatedAt: objection.lodgedAt,
      });
    },
    { attempts: 9 },
  );
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

/** Draws references until one is free (a clash is a one-in-10^12 event; a few draws settle it). */
async function claimReference(
  deps: WorkflowDeps,
  receipt: Omit<ObjectionReceipt, 'reference'>,
): Promise<string> {
  return retryOnConflict(
    async () => {
      const reference = newReference();
      if (await deps.receipts.claim({ reference, ...receipt })) return reference;
      throw new StaleWriteError('no free objection reference was found; please try again');
    },
    { attempts: 5 },
  );
}

/** The public receipt follows the decision, with the regulator's resolution as its published reason. */
async function publishDecision(deps: WorkflowDeps, o: ResolvedObjection): Promise<void> {
  if (!o.reference || o.status === 'open') return;
  await deps.receipts.decide(o.reference, {
    status: o.status,
    decidedOn: (o.resolvedAt ?? shanghaiIso(deps.clock.now())).slice(0, 10),
    reason: o.resolution ?? '',
  });
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
  requireScope('postV1AdminObjectionsByIdResolve', actor);
  const resultId = resultIdOf(id);
  const objection: ResolvedObjection | null = await deps.workflow.getObjection(resultId, id);
  if (!objection) throw new NotFoundError(`no objection with id ${id}`);
  let result = await mustGetResult(deps, resultId);
  const now = shanghaiIso(deps.clock.now());

  if (objection.status !== 'open') {
    await publishDecision(deps, objection);
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
      // Stryker disable next-line OptionalChaining: a result that took an objection was in publicity, so it has its window
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
  await publishDecision(deps, resolved);
  await recordAudit(deps, {
    id: `objection-resolve:${id}`,
    uscc: result.uscc,
    // Stryker disable next-line LogicalOperator: a decision always carries its time, which is now
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
  await retryOnConflict(
    async () => {
      const result = await mustGetResult(deps, resultId);
      const open = (await openObjections(deps, resultId)).length;
      if (result.openObjections === open || result.status === 'published' || result.status === 'withdrawn')
        return;
      await deps.results.replace(result, { ...result, openObjections: open });
    },
    { attempts: 5 },
  ).catch((err: unknown) => {
    // Informational: a count still racing after five attempts is left to the next change.
    if (!(err instanceof StaleWriteError)) throw err;
  });
}

/** A regulator's page of a result's objections (limit/cursor), so a flood never makes one huge answer. */
export async function listObjectionPage(
  deps: WorkflowDeps,
  actor: Actor,
  resultId: string,
  limit: number,
  startKey: Record<string, unknown> | null,
) {
  const result = await mustGetResult(deps, resultId);
  requireScope('getV1AdminAssessmentsByIdObjections', actor, { institution: result });
  return deps.workflow.listObjectionPage(resultId, limit, startKey);
}

/**
 * The city dismisses many objections of one result in one decision: all open ones, or the open ones
 * among `ids`. One Query, one conditional write per objection, one count update and one audit entry:
 * O(n). Objections decided meanwhile are skipped. Upholding stays a decision on one objection.
 */
export async function dismissObjections(
  deps: WorkflowDeps,
  actor: Actor,
  resultId: string,
  decision: { resolution: string; ids?: string[] | undefined },
): Promise<{ dismissed: string[]; result: WorkflowResult }> {
  requireScope('postV1AdminAssessmentsByIdObjectionsDismissal', actor);
  const result = await mustGetResult(deps, resultId);
  const wanted = decision.ids ? new Set(decision.ids) : null;
  const open = (await openObjections(deps, resultId)).filter((o) => !wanted || wanted.has(o.id));
  const now = shanghaiIso(deps.clock.now());
  const dismissed: string[] = [];
  for (const o of open) {
    const next: ResolvedObjection = {
      ...o,
      status: 'dismissed',
      resolution: decision.resolution,
      resolvedAt: now,
      resolvedBy: actor,
    };
    try {
      await deps.workflow.updateObjection(o, next);
      dismissed.push(o.id);
      await publishDecision(deps, next);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  await finishCount(deps, resultId);
  await recordAudit(deps, {
    id: `objection-dismiss-all:${resultId}:${now}`,
    uscc: result.uscc,
    at: now,
    actor,
    action: 'objection.resolve',
    before: { resultId, open: open.length },
    after: { resultId, dismissed, resolution: decision.resolution },
  });
  return { dismissed, result: await mustGetResult(deps, resultId) };
}
