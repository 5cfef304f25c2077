import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import { shanghaiIso } from '../domain/dates.ts';
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
import type { InstitutionProfile } from '../domain/model.ts';
import { authorise, type OperationId, type Target } from '../domain/permissions.ts';
import type { Actor } from '../domain/types.ts';
import type { NoticeIntent, Notifier } from '../notify/port.ts';
import type { AuditEntry, AuditStore } from '../store/audit.ts';
import { isConditionFailure } from '../store/dynamo.ts';
import { EventAppendInProgressError, type EventStore, type NewChangeEvent } from '../store/events.ts';
import type { InstitutionReader } from '../store/institution-reader.ts';
import type { InstitutionWriter } from '../store/institution-writer.ts';
import type { ObjectionReceipts } from '../store/objection-receipts.ts';
import type { ResultStore } from '../store/results.ts';
import { retryOnConflict } from '../store/retry-on-conflict.ts';
import type { StoredViolation, WorkflowStore } from '../store/workflow.ts';

/** What the regulators' services need; AdminDeps satisfies it. */
export interface WorkflowDeps {
  clock: Clock;
  calendar: WorkingDayCalendar;
  reader: InstitutionReader;
  writer: InstitutionWriter;
  results: ResultStore;
  events: EventStore;
  audit: AuditStore;
  notifier: Notifier;
  workflow: WorkflowStore;
  receipts: ObjectionReceipts;
  /** The service secret: ids that appear in URLs are derived from it (unguessable, yet stable on retry). */
  cursorSecret: string;
}

/** The audit trail's view of an authenticated caller. */
export function actorOf(p: Principal): Actor {
  return {
    subject: p.subject,
    role: p.role,
    ...(p.district ? { district: p.district } : {}),
    ...(p.uscc ? { uscc: p.uscc } : {}),
    ...(p.association ? { association: p.association } : {}),
  };
}

/**
 * Throws 403 unless the permission table lets `actor` call `operation` on `target` (shared/domain/
 * permissions.ts): the HTTP layer checked the role already; this applies the scope to the loaded object.
 */
export function requireScope(operation: OperationId, actor: Actor, target: Target = {}): void {
  const verdict = authorise(operation, actor, target);
  if (!verdict.allowed) throw new ForbiddenError(verdict.reason);
}

export async function mustGetProfile(deps: WorkflowDeps, uscc: string): Promise<InstitutionProfile> {
  const profile = await deps.reader.getProfile(uscc, true);
  if (!profile) throw new NotFoundError(`no institution with uscc ${uscc}`);
  return profile;
}

/**
 * Applies `change` to the current profile until it sticks: a projection must land even when another
 * request changed the profile meanwhile. `change` returns null when there is nothing to do, which
 * is what makes re-applying a projection harmless.
 */
export async function updateProfile(
  deps: WorkflowDeps,
  uscc: string,
  change: (
    p: InstitutionProfile,
    violations: StoredViolation[],
  ) => Omit<InstitutionProfile, 'version'> | null,
  opts: { withViolations?: boolean } = {},
): Promise<InstitutionProfile> {
  return retryOnConflict(
    async () => {
      const current = await mustGetProfile(deps, uscc);
      // Read after the profile: whatever a violation's projection wrote to it was committed before.
      const violations = opts.withViolations ? await deps.workflow.listViolations(uscc) : [];
      const next = change(current, violations);
      if (!next) return current;
      return deps.writer.saveProfile(current, { ...next, updatedAt: shanghaiIso(deps.clock.now()) });
    },
    // Stryker disable next-line BooleanLiteral: the pause only spreads racing writers out in time
    { attempts: 9, pause: true },
  );
}

/**
 * Appends a change event idempotently. When another request is appending the same event right now,
 * that request will finish it, so this one need not wait.
 */
export async function appendEvent(deps: WorkflowDeps, event: NewChangeEvent): Promise<void> {
  try {
    await deps.events.append(event);
  } catch (err) {
    if (!(err instanceof EventAppendInProgressError)) throw err;
  }
}

/**
 * Records an audit entry once: `id` and `at` are derived from the committed change, so a retry that
 * records it again finds it there and adds nothing.
 */
export async function recordAudit(deps: WorkflowDeps, entry: AuditEntry): Promise<void> {
  try {
    await deps.audit.record(entry);
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}

/** Sends notices; the notifier de-duplicates by institution, kind, cycle and channel. */
export async function notify(deps: WorkflowDeps, intents: NoticeIntent[]): Promise<void> {
  if (intents.length > 0) await deps.notifier.notify(intents);
}
