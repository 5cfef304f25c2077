import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { ConflictError, StaleWriteError } from '#shared/domain/errors.ts';
import type { GradingResult, InstitutionProfile, Objection } from '#shared/domain/model.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import type { WorkflowResult } from '#shared/services/result-projection.ts';
import type { AuditEntry } from '#shared/store/audit.ts';
import type { NewChangeEvent } from '#shared/store/events.ts';
import type { StoredViolation } from '#shared/store/workflow.ts';
import { movableClock } from './clock.ts';

/** The error a conditional put that found its item there gives (what `isConditionFailure` reads). */
export function conditionFailure(): Error {
  const err = new Error('The conditional request failed');
  err.name = 'ConditionalCheckFailedException';
  return err;
}

/**
 * The stores a grading result's steps write to, kept in memory with the conditions the DynamoDB stores
 * put on their writes: a result and a profile change only from the version (and status) they were read
 * at, an audit entry and a result are created once, an event is appended once per key.
 */
export function workflowFakes(opts: { now?: string; profiles?: InstitutionProfile[] } = {}) {
  const clock = movableClock(opts.now ?? '2026-11-23T10:00:00+08:00');
  const results = new Map<string, GradingResult>();
  const profiles = new Map((opts.profiles ?? []).map((p) => [p.uscc, p]));
  const objections: Objection[] = [];
  const violations: StoredViolation[] = [];
  const events: NewChangeEvent[] = [];
  const audit: AuditEntry[] = [];
  const notices = new RecordingNotifier();
  const interposers: Array<(call: string) => Error | undefined> = [];
  const calls: string[] = [];
  /** Counts the call, then throws the error a test asked for, if any. */
  const interpose = async (call: string, _arg?: unknown) => {
    calls.push(call);
    for (const i of interposers) {
      const err = i(call);
      if (err) throw err;
    }
  };
  const copy = <T>(x: T): T => structuredClone(x);

  const deps = {
    clock,
    calendar: new WorkingDayCalendar({}),
    cursorSecret: 'test-cursor-secret-0123456789',
    results: {
      get: async (id: string) => {
        await interpose('results.get', id);
        const r = results.get(id);
        return r ? copy(r) : null;
      },
      create: async (r: GradingResult) => {
        await interpose('results.create', r);
        if (results.has(r.id)) throw new ConflictError(`result ${r.id} already exists`);
        results.set(r.id, copy(r));
      },
      replace: async (previous: GradingResult, next: Omit<GradingResult, 'version'>) => {
        await interpose('results.replace', next);
        const stored = results.get(previous.id);
        if (stored?.version !== previous.version || stored.status !== previous.status) {
          throw new StaleWriteError(`result ${previous.id} was changed concurrently`);
        }
        const written = { ...copy(next), version: previous.version + 1 } as GradingResult;
        results.set(previous.id, written);
        return copy(written);
      },
    },
    reader: {
      getProfile: async (uscc: string) => {
        const p = profiles.get(uscc);
        return p ? copy(p) : null;
      },
    },
    writer: {
      saveProfile: async (previous: InstitutionProfile, next: Omit<InstitutionProfile, 'version'>) => {
        await interpose('writer.saveProfile', next);
        if (profiles.get(previous.uscc)?.version !== previous.version) {
          throw new StaleWriteError(`profile ${previous.uscc} was changed concurrently`);
        }
        const written = { ...copy(next), version: previous.version + 1 };
        profiles.set(previous.uscc, written);
        return copy(written);
      },
    },
    workflow: {
      listObjections: async (resultId: string) => copy(objections.filter((o) => o.resultId === resultId)),
      listViolations: async (uscc: string) => copy(violations.filter((v) => v.uscc === uscc)),
    },
    events: {
      append: async (e: NewChangeEvent) => {
        await interpose('events.append', e);
        if (!events.some((x) => x.key === e.key)) events.push(copy(e));
      },
    },
    audit: {
      record: async (entry: AuditEntry) => {
        await interpose('audit.record', entry);
        if (audit.some((a) => a.id === entry.id && a.uscc === entry.uscc)) throw conditionFailure();
        audit.push(copy(entry));
        return entry;
      },
    },
    notifier: notices,
  } as unknown as WorkflowDeps;

  return {
    deps,
    clock,
    notices,
    events,
    audit,
    objections,
    violations,
    /** Makes the next `times` calls of `call` throw `error()`; gives how many it made fail so far. */
    failing(call: string, error: () => Error, times = Number.POSITIVE_INFINITY) {
      let failed = 0;
      interposers.push((c) => {
        if (c !== call || failed >= times) return undefined;
        failed++;
        return error();
      });
      return () => failed;
    },
    /** How many times `call` was made. */
    callsOf: (call: string) => calls.filter((c) => c === call).length,
    result: (id: string) => results.get(id) as WorkflowResult | undefined,
    putResult: (r: WorkflowResult) => results.set(r.id, copy(r)),
    profile: (uscc: string) => profiles.get(uscc) as InstitutionProfile,
    putProfile: (p: InstitutionProfile) => profiles.set(p.uscc, copy(p)),
  };
}
