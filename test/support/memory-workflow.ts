import { randomUUID } from 'node:crypto';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { ConflictError, StaleWriteError } from '#shared/domain/errors.ts';
import type {
  GradingResult,
  InstitutionPrivate,
  InstitutionProfile,
  Objection,
} from '#shared/domain/model.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import type { WorkflowResult } from '#shared/services/result-projection.ts';
import type { AuditEntry } from '#shared/store/audit.ts';
import type { NewChangeEvent } from '#shared/store/events.ts';
import { sortNameOf } from '#shared/store/institution-writer.ts';
import type { InspectionPlan, StoredViolation } from '#shared/store/workflow.ts';
import { type MovableClock, movableClock } from './clock.ts';

/**
 * The store ports a regulator's write goes through (register, profiles, private items, results,
 * objections, violations, feed, audit, inspection plans, notices), held in memory with the stores'
 * contracts (test/integration/store/workflow-contract.test.ts runs both): a second registration of a
 * uscc, result, violation or plan is refused, a write over a changed version (or a result's changed
 * status) is refused, an event key and an audit entry are written once, lists come in pages in the
 * table's order. Fast enough to run a service against every mutant of it.
 */
export interface MemoryWorkflow {
  deps: WorkflowDeps;
  clock: MovableClock;
  notices: RecordingNotifier;
  profiles: Map<string, InstitutionProfile>;
  privates: Map<string, InstitutionPrivate>;
  results: GradingResult[];
  objections: Objection[];
  violations: StoredViolation[];
  plans: Map<number, InspectionPlan>;
  events: NewChangeEvent[];
  audit: AuditEntry[];
  /** The usccs whose register row was rewritten, in order. */
  reindexed: string[];
  /** Calls of each store method, by `port.method` (`notifier.notify` too), failed ones included. */
  calls: Map<string, number>;
  /** How many times `call` was made. */
  callsOf(call: string): number;
  /** Makes the next `times` calls of `call` throw `error()` instead; gives how many it made fail so far. */
  failing(call: string, error: () => Error, times?: number): () => number;
  /** Runs `step` right after the first answer of `call`: a concurrent write landing between a read and the next write. */
  meanwhile(call: string, step: () => void): void;
  /** The stored items themselves (not copies), for assertions; `put…` writes one over the store. */
  result(id: string): WorkflowResult | undefined;
  putResult(r: GradingResult): void;
  profile(uscc: string): InstitutionProfile;
  putProfile(p: InstitutionProfile): void;
  violation(id: string): StoredViolation | undefined;
}

export interface MemoryWorkflowOptions {
  now?: string;
  profiles?: InstitutionProfile[];
  privates?: InstitutionPrivate[];
  results?: GradingResult[];
  objections?: Objection[];
  violations?: StoredViolation[];
  plans?: InspectionPlan[];
  /** The most items a register list answers at once, so that paging is walked (the stores' own limit aside). */
  pageSize?: number;
}

type Page<T> = { items: T[]; lastKey: Record<string, unknown> | null };
type Port = Record<string, (...args: never[]) => Promise<unknown>>;

const clone = <T>(v: T): T => structuredClone(v);

/**
 * A copy of a held item as a read gives it back. The table keeps no order among a map's attributes, so
 * the copy lists every object's keys in reverse: a service that compares what it read with what it
 * would write by their JSON text, not their data, sees a change where there is none.
 */
const readBack = <T>(v: T): T => keysReversed(clone(v));
const keysReversed = <T>(v: T): T => {
  if (Array.isArray(v)) return v.map(keysReversed) as T;
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>)
      .reverse()
      .map(([k, x]) => [k, keysReversed(x)]),
  ) as T;
};
const copyOf = <K, V>(items: Map<K, V>, key: K): V | null => {
  const held = items.get(key);
  return held === undefined ? null : readBack(held);
};

/** `items` in the order of the string `key` of each, as the table sorts its keys (by UTF-8 bytes). */
const sortedBy = <T>(items: Iterable<T>, key: (item: T) => string): T[] =>
  [...items].sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))));

/** The register indexes' sort keys: name order (pinyin), then uscc; a district's index by grade first. */
const byName = (p: InstitutionProfile) => `${sortNameOf(p.name)}#${p.uscc}`;
const gradeKey = (p: InstitutionProfile) => p.grade ?? 'U';

/** A page of `items` from an opaque start key, at most `limit` (and the page size) long. */
function pageOf<T>(
  items: T[],
  startKey: Record<string, unknown> | null,
  limit: number,
  pageSize: number,
): Page<T> {
  const from = typeof startKey?.offset === 'number' ? startKey.offset : 0;
  const to = from + Math.min(limit, pageSize);
  return { items: items.slice(from, to), lastKey: to < items.length ? { offset: to } : null };
}

const withIndexKeys = (page: Page<InstitutionProfile>) => ({
  ...page,
  items: page.items.map((p) => ({ ...readBack(p), key: { uscc: p.uscc } })),
});

/** Writes `next` over `previous` (version + 1) unless another write changed the item since it was read. */
function replaceVersioned<T extends { uscc: string; version: number }>(
  items: Map<string, T>,
  previous: T,
  next: Omit<T, 'version'>,
): T {
  if (items.get(previous.uscc)?.version !== previous.version)
    throw new StaleWriteError(
      `institution ${previous.uscc} was changed concurrently; read it again and retry`,
    );
  const stored = { ...clone(next), version: previous.version + 1 } as T;
  items.set(stored.uscc, stored);
  return clone(stored);
}

/** The error a conditional put gives when its item is there (what `isConditionFailure` reads). */
function conditionFailure(): Error {
  return Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });
}

/** Each method of each port, called through `around` with its `port.method` name. */
function instrument<P extends Record<string, Port>>(
  ports: P,
  around: (call: string, run: () => Promise<unknown>) => Promise<unknown>,
): P {
  const wrap = (port: string, methods: Port) =>
    Object.fromEntries(
      Object.entries(methods).map(([name, method]) => [
        name,
        (...args: never[]) => around(`${port}.${name}`, () => method(...args)),
      ]),
    );
  return Object.fromEntries(Object.entries(ports).map(([port, methods]) => [port, wrap(port, methods)])) as P;
}

export function memoryWorkflow(opts: MemoryWorkflowOptions = {}): MemoryWorkflow {
  const pageSize = opts.pageSize ?? 2;
  const before: Array<(call: string) => void> = [];
  const after: Array<(call: string) => void> = [];
  const m: MemoryWorkflow = {
    deps: undefined as unknown as WorkflowDeps,
    clock: movableClock(opts.now ?? '2026-11-23T10:00:00+08:00'),
    notices: new RecordingNotifier(),
    profiles: new Map((opts.profiles ?? []).map((p) => [p.uscc, clone(p)])),
    privates: new Map((opts.privates ?? []).map((p) => [p.uscc, clone(p)])),
    results: clone(opts.results ?? []),
    objections: clone(opts.objections ?? []),
    violations: clone(opts.violations ?? []),
    plans: new Map((opts.plans ?? []).map((p) => [p.year, clone(p)])),
    events: [],
    audit: [],
    reindexed: [],
    calls: new Map(),
    callsOf: (call) => m.calls.get(call) ?? 0,
    failing(call, error, times = Number.POSITIVE_INFINITY) {
      let failed = 0;
      before.push((c) => {
        if (c !== call || failed >= times) return;
        failed++;
        throw error();
      });
      return () => failed;
    },
    meanwhile(call, step) {
      let done = false;
      after.push((c) => {
        if (c !== call || done) return;
        done = true;
        step();
      });
    },
    result: (id) => m.results.find((r) => r.id === id) as WorkflowResult | undefined,
    putResult(r) {
      const at = m.results.findIndex((x) => x.id === r.id);
      m.results.splice(at < 0 ? m.results.length : at, 1, clone(r));
    },
    profile: (uscc) => m.profiles.get(uscc) as InstitutionProfile,
    putProfile: (p) => void m.profiles.set(p.uscc, clone(p)),
    violation: (id) => m.violations.find((v) => v.id === id),
  };

  const ports = {
    reader: {
      async getProfile(uscc: string) {
        return copyOf(m.profiles, uscc);
      },
      async getPrivate(uscc: string) {
        return copyOf(m.privates, uscc);
      },
      async list(args: {
        filter: { district?: string; grade?: string; kind?: string };
        startKey: Record<string, unknown> | null;
        limit: number;
      }) {
        const { district, grade, kind } = args.filter;
        if (!district && !grade)
          throw new RangeError('list needs a district or a grade; use listKind for the whole register');
        const g = grade === 'UNGRADED' ? 'U' : grade;
        const matching = [...m.profiles.values()].filter(
          (p) =>
            (!district || p.district === district) && (!g || gradeKey(p) === g) && (!kind || p.kind === kind),
        );
        const order = district ? (p: InstitutionProfile) => `${gradeKey(p)}#${byName(p)}` : byName;
        return withIndexKeys(pageOf(sortedBy(matching, order), args.startKey, args.limit, pageSize));
      },
      async listKind(args: { kind: string; startKey: Record<string, unknown> | null; limit: number }) {
        const ofKind = [...m.profiles.values()].filter((p) => p.kind === args.kind);
        return withIndexKeys(pageOf(sortedBy(ofKind, byName), args.startKey, args.limit, pageSize));
      },
    },
    writer: {
      async create(profile: InstitutionProfile, priv: InstitutionPrivate) {
        if (m.profiles.has(profile.uscc))
          throw new ConflictError(`institution ${profile.uscc} is already registered`);
        m.profiles.set(profile.uscc, clone(profile));
        if (!m.privates.has(priv.uscc)) m.privates.set(priv.uscc, clone(priv));
        m.reindexed.push(profile.uscc);
      },
      async saveProfile(previous: InstitutionProfile, next: Omit<InstitutionProfile, 'version'>) {
        const stored = replaceVersioned(m.profiles, previous, next);
        m.reindexed.push(stored.uscc);
        return stored;
      },
      async savePrivate(previous: InstitutionPrivate, next: Omit<InstitutionPrivate, 'version'>) {
        return replaceVersioned(m.privates, previous, next);
      },
      async reindex(_previous: InstitutionProfile | null, next: InstitutionProfile) {
        m.reindexed.push(next.uscc);
      },
    },
    results: {
      async get(id: string) {
        const r = m.results.find((x) => x.id === id);
        return r ? readBack(r) : null;
      },
      async create(r: GradingResult) {
        if (m.results.some((x) => x.id === r.id)) throw new ConflictError(`result ${r.id} already exists`);
        m.results.push(clone(r));
      },
      async replace(previous: GradingResult, next: Omit<GradingResult, 'version'>) {
        const at = m.results.findIndex((x) => x.id === previous.id);
        const held = m.results[at];
        if (!held || held.version !== previous.version || held.status !== previous.status)
          throw new StaleWriteError(
            `result ${previous.id} was changed concurrently (it was ${previous.status})`,
          );
        const stored = { ...clone(next), version: previous.version + 1 } as GradingResult;
        m.results[at] = stored;
        return clone(stored);
      },
      /** Oldest first, as the institution's index holds them. */
      async listForInstitution(uscc: string) {
        const own = m.results.filter((r) => r.uscc === uscc);
        return readBack(sortedBy(own, (r) => `${r.createdAt}#${r.id}`));
      },
    },
    workflow: {
      async ensurePrivate(priv: InstitutionPrivate) {
        if (!m.privates.has(priv.uscc)) m.privates.set(priv.uscc, clone(priv));
      },
      async listObjections(resultId: string) {
        const own = m.objections.filter((o) => o.resultId === resultId);
        return readBack(sortedBy(own, (o) => o.id));
      },
      async getViolation(uscc: string, occurredOn: string, id: string) {
        const v = m.violations.find((x) => x.uscc === uscc && x.occurredOn === occurredOn && x.id === id);
        return v ? readBack(v) : null;
      },
      async createViolation(v: StoredViolation) {
        if (m.violations.some((x) => x.uscc === v.uscc && x.occurredOn === v.occurredOn && x.id === v.id))
          throw new ConflictError(`violation ${v.id} already exists`);
        m.violations.push(clone(v));
      },
      /** Newest first (by the day it occurred), as the institution's partition is read backwards. */
      async listViolations(uscc: string) {
        const own = m.violations.filter((v) => v.uscc === uscc);
        return readBack(sortedBy(own, (v) => `${v.occurredOn}#${v.id}`).reverse());
      },
      async getPrivates(usccs: readonly string[]) {
        return new Map(
          usccs.flatMap((u) => {
            const p = m.privates.get(u);
            return p ? [[u, readBack(p)] as const] : [];
          }),
        );
      },
      async getPlan(year: number) {
        return copyOf(m.plans, year);
      },
      async createPlan(plan: InspectionPlan) {
        if (m.plans.has(plan.year))
          throw new ConflictError(`the inspection plan for ${plan.year} already exists`);
        m.plans.set(plan.year, clone(plan));
      },
    },
    events: {
      async append(event: NewChangeEvent) {
        if (!m.events.some((e) => e.key === event.key)) m.events.push(clone(event));
      },
    },
    audit: {
      /** Keyed by institution, instant and id, as the trail's items are. */
      async record(entry: Omit<AuditEntry, 'id'> & { id?: string }) {
        const stored: AuditEntry = { ...clone(entry), id: entry.id ?? randomUUID() };
        if (m.audit.some((e) => e.uscc === stored.uscc && e.at === stored.at && e.id === stored.id))
          throw conditionFailure();
        m.audit.push(stored);
        return clone(stored);
      },
      /** Oldest first. */
      async list(uscc: string, startKey: Record<string, unknown> | null, limit: number) {
        const trail = sortedBy(
          m.audit.filter((e) => e.uscc === uscc),
          (e) => `${e.at}#${e.id}`,
        );
        return pageOf(readBack(trail), startKey, limit, Number.POSITIVE_INFINITY);
      },
    },
    notifier: {
      notify: (intents: Parameters<RecordingNotifier['notify']>[0]) => m.notices.notify(intents),
    },
  };

  m.deps = {
    clock: m.clock,
    calendar: new WorkingDayCalendar({}),
    cursorSecret: 'test-cursor-secret-0123456789',
    ...instrument(ports, async (call, run) => {
      m.calls.set(call, m.callsOf(call) + 1);
      for (const hook of before) hook(call);
      const answer = await run();
      for (const hook of after) hook(call);
      return answer;
    }),
  } as unknown as WorkflowDeps;
  return m;
}
