import { fixedClock } from '#shared/clock.ts';
import { ConflictError, StaleWriteError } from '#shared/domain/errors.ts';
import type { GradingResult, InstitutionPrivate, InstitutionProfile } from '#shared/domain/model.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import type { AuditEntry } from '#shared/store/audit.ts';
import type { NewChangeEvent } from '#shared/store/events.ts';
import type { InspectionPlan, StoredViolation } from '#shared/store/workflow.ts';

/**
 * The store ports a regulator's write goes through (register, profiles, private items, results, feed,
 * audit, inspection plans), held in memory with the stores' contracts: a second registration of a uscc
 * and a write over a changed version are refused, an event key and an audit id are written once, lists
 * come in pages. Fast enough to run a service against every mutant of it.
 */
export interface MemoryWorkflow {
  deps: WorkflowDeps;
  profiles: Map<string, InstitutionProfile>;
  privates: Map<string, InstitutionPrivate>;
  results: GradingResult[];
  violations: StoredViolation[];
  plans: Map<number, InspectionPlan>;
  events: NewChangeEvent[];
  audit: AuditEntry[];
  /** The usccs whose register row was rewritten, in order. */
  reindexed: string[];
  /** Calls of each store method, by `port.method`. */
  calls: Map<string, number>;
}

export interface MemoryWorkflowOptions {
  now?: string;
  profiles?: InstitutionProfile[];
  privates?: InstitutionPrivate[];
  results?: GradingResult[];
  violations?: StoredViolation[];
  plans?: InspectionPlan[];
  /** The most items a list answers at once, so that paging is walked (the stores' own limit aside). */
  pageSize?: number;
}

const clone = <T>(v: T): T => structuredClone(v);
const copyOf = <K, V>(items: Map<K, V>, key: K): V | null => {
  const held = items.get(key);
  return held === undefined ? null : clone(held);
};

/** A page of `items` from an opaque start key, at most `limit` (and the page size) long. */
function pageOf<T>(items: T[], startKey: Record<string, unknown> | null, limit: number, pageSize: number) {
  const from = typeof startKey?.offset === 'number' ? startKey.offset : 0;
  const to = from + Math.min(limit, pageSize);
  return { items: items.slice(from, to), lastKey: to < items.length ? { offset: to } : null };
}

/** Writes `next` over `previous` (version + 1) unless another write changed the item since it was read. */
function replaceVersioned<T extends { uscc: string; version: number }>(
  items: Map<string, T>,
  previous: T,
  next: Omit<T, 'version'>,
): T {
  if (items.get(previous.uscc)?.version !== previous.version)
    throw new StaleWriteError(`institution ${previous.uscc} was changed concurrently`);
  const stored = { ...clone(next), version: previous.version + 1 } as T;
  items.set(stored.uscc, stored);
  return clone(stored);
}

export function memoryWorkflow(opts: MemoryWorkflowOptions = {}): MemoryWorkflow {
  const pageSize = opts.pageSize ?? 2;
  const m: MemoryWorkflow = {
    deps: undefined as unknown as WorkflowDeps,
    profiles: new Map((opts.profiles ?? []).map((p) => [p.uscc, clone(p)])),
    privates: new Map((opts.privates ?? []).map((p) => [p.uscc, clone(p)])),
    results: clone(opts.results ?? []),
    violations: clone(opts.violations ?? []),
    plans: new Map((opts.plans ?? []).map((p) => [p.year, clone(p)])),
    events: [],
    audit: [],
    reindexed: [],
    calls: new Map(),
  };
  const count = (name: string) => m.calls.set(name, (m.calls.get(name) ?? 0) + 1);
  const sorted = () => [...m.profiles.values()].sort((a, b) => (a.uscc < b.uscc ? -1 : 1));

  m.deps = {
    clock: fixedClock(opts.now ?? '2026-11-23T10:00:00+08:00'),
    reader: {
      async getProfile(uscc: string) {
        count('reader.getProfile');
        return copyOf(m.profiles, uscc);
      },
      async getPrivate(uscc: string) {
        count('reader.getPrivate');
        return copyOf(m.privates, uscc);
      },
      async list(args: {
        filter: { district?: string; grade?: string };
        startKey: Record<string, unknown> | null;
        limit: number;
      }) {
        count('reader.list');
        const { district, grade } = args.filter;
        const matching = sorted().filter(
          (p) =>
            (district === undefined || p.district === district) && (grade === undefined || p.grade === grade),
        );
        const page = pageOf(matching, args.startKey, args.limit, pageSize);
        return { ...page, items: page.items.map((p) => ({ ...clone(p), key: { uscc: p.uscc } })) };
      },
      async listKind(args: { kind: string; startKey: Record<string, unknown> | null; limit: number }) {
        count('reader.listKind');
        const page = pageOf(
          sorted().filter((p) => p.kind === args.kind),
          args.startKey,
          args.limit,
          pageSize,
        );
        return { ...page, items: page.items.map((p) => ({ ...clone(p), key: { uscc: p.uscc } })) };
      },
    },
    writer: {
      async create(profile: InstitutionProfile, priv: InstitutionPrivate) {
        count('writer.create');
        if (m.profiles.has(profile.uscc))
          throw new ConflictError(`institution ${profile.uscc} is already registered`);
        m.profiles.set(profile.uscc, clone(profile));
        if (!m.privates.has(priv.uscc)) m.privates.set(priv.uscc, clone(priv));
        m.reindexed.push(profile.uscc);
      },
      async saveProfile(previous: InstitutionProfile, next: Omit<InstitutionProfile, 'version'>) {
        count('writer.saveProfile');
        const stored = replaceVersioned(m.profiles, previous, next);
        m.reindexed.push(stored.uscc);
        return stored;
      },
      async savePrivate(previous: InstitutionPrivate, next: Omit<InstitutionPrivate, 'version'>) {
        count('writer.savePrivate');
        return replaceVersioned(m.privates, previous, next);
      },
      async reindex(_previous: InstitutionProfile | null, next: InstitutionProfile) {
        count('writer.reindex');
        m.reindexed.push(next.uscc);
      },
    },
    results: {
      async get(id: string) {
        count('results.get');
        const r = m.results.find((x) => x.id === id);
        return r ? clone(r) : null;
      },
      async replace(previous: GradingResult, next: Omit<GradingResult, 'version'>) {
        count('results.replace');
        const at = m.results.findIndex((x) => x.id === previous.id);
        const held = m.results[at];
        if (!held || held.version !== previous.version || held.status !== previous.status)
          throw new StaleWriteError(`result ${previous.id} was changed concurrently`);
        const stored = { ...clone(next), version: previous.version + 1 } as GradingResult;
        m.results[at] = stored;
        return clone(stored);
      },
      async listForInstitution(uscc: string) {
        count('results.listForInstitution');
        return clone(m.results.filter((r) => r.uscc === uscc));
      },
    },
    workflow: {
      async ensurePrivate(priv: InstitutionPrivate) {
        count('workflow.ensurePrivate');
        if (!m.privates.has(priv.uscc)) m.privates.set(priv.uscc, clone(priv));
      },
      async listViolations(uscc: string) {
        count('workflow.listViolations');
        return clone(m.violations.filter((v) => v.uscc === uscc));
      },
      async getPrivates(usccs: readonly string[]) {
        count('workflow.getPrivates');
        return new Map(
          usccs.flatMap((u) => {
            const p = m.privates.get(u);
            return p ? [[u, clone(p)] as const] : [];
          }),
        );
      },
      async getPlan(year: number) {
        count('workflow.getPlan');
        return copyOf(m.plans, year);
      },
      async createPlan(plan: InspectionPlan) {
        count('workflow.createPlan');
        if (m.plans.has(plan.year)) throw new ConflictError(`the inspection plan for ${plan.year} exists`);
        m.plans.set(plan.year, clone(plan));
      },
    },
    events: {
      async append(event: NewChangeEvent) {
        count('events.append');
        if (!m.events.some((e) => e.key === event.key)) m.events.push(clone(event));
      },
    },
    audit: {
      async record(entry: AuditEntry) {
        count('audit.record');
        if (m.audit.some((e) => e.uscc === entry.uscc && e.id === entry.id)) {
          throw Object.assign(new Error('the audit entry exists'), {
            name: 'ConditionalCheckFailedException',
          });
        }
        m.audit.push(clone(entry));
        return clone(entry);
      },
      async list(uscc: string, startKey: Record<string, unknown> | null, limit: number) {
        count('audit.list');
        return pageOf(
          clone(m.audit.filter((e) => e.uscc === uscc)),
          startKey,
          limit,
          Number.POSITIVE_INFINITY,
        );
      },
    },
  } as unknown as WorkflowDeps;
  return m;
}
