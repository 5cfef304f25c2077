import { deepStrictEqual } from 'node:assert/strict';
import fc from 'fast-check';
import { calendarCoverage as serviceCoverage } from '#shared/domain/calendar.ts';
import { PublicityJob } from '#shared/jobs/publicity.ts';
import { AuditStore } from '#shared/store/audit.ts';
import { EventStore } from '#shared/store/events.ts';
import { JobStateStore } from '#shared/store/job-state.ts';
import { type AdminHarness, adminHarness, clinicIn, expectStatus, hospitalIn } from '../admin.ts';
import type { TestDynamo } from '../local-table.ts';
import { objectFrom } from '../proof.ts';
import {
  type Action,
  addDays,
  apply,
  calendarCoverage,
  expected,
  feedCounts,
  initialWorld,
  type Key,
  publicityList,
  publicView,
  type Role,
  type Severity,
  storedStage,
  type World,
  watchList,
} from './rules.ts';

/**
 * The model-based test's commands: each takes one lifecycle action (or moves the clock) on the real
 * service and in the model, checks the service answered as the rules say (status and the precondition
 * named), then compares what the public and each role see. `toString()` prints the call that rebuilds
 * the command, so a shrunk failure pastes into `replay(...)` as a regression test.
 */

export interface Model {
  world: World;
}

export interface Real {
  h: AdminHarness;
  dynamo: TestDynamo;
  uscc: Record<Key, string>;
  /** The service's id of each result the model numbers, in the model's order. */
  results: string[];
  applications: string[];
  tokens: Map<Role, string | null>;
  /** Numbers objections and violation reports, each its own. */
  serial: number;
  /** Steps taken, by action and status: what a run exercised. */
  tally: Map<string, number>;
  steps: number;
}

type Cmd = fc.AsyncCommand<Model, Real>;

const q = (s: string) => `'${s}'`;

async function tokenFor(real: Real, as: Role): Promise<string | null> {
  if (!real.tokens.has(as)) {
    const h = real.h;
    const token: Record<Role, () => Promise<string> | null> = {
      city: () => h.token('city'),
      'district-in': () => h.token('district', { district: '西湖区' }),
      'district-out': () => h.token('district', { district: '上城区' }),
      'district_admin-in': () => h.token('district_admin', { district: '西湖区' }),
      guidance: () => h.token('guidance'),
      // Steps other than an application name no institution: any institution's token is refused alike.
      'institution-own': () => h.token('institution', { uscc: real.uscc.H }),
      'institution-other': () => h.token('institution', { uscc: real.uscc.K }),
      association: () => h.token('association', { association: '中国整形美容协会' }),
      public: () => null,
    };
    real.tokens.set(as, await token[as]());
  }
  return real.tokens.get(as) ?? null;
}

/** The institution's own token, or another institution's. */
const institutionToken = (real: Real, key: Key, as: Role) =>
  real.h.token('institution', { uscc: real.uscc[as === 'institution-own' ? key : key === 'H' ? 'K' : 'H'] });

/** Runs `call` when the model admits the action, and checks the answer and the views after it. */
async function act(
  m: Model,
  real: Real,
  action: Action,
  call: () => Promise<Response>,
  onSuccess: (body: Record<string, unknown>) => void = () => {},
): Promise<void> {
  const want = expected(m.world, action);
  const res = await call();
  const text = await res.text();
  const body = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
  const got = {
    status: res.status,
    ...(want.precondition && { precondition: body.precondition }),
    ...(want.rule && { rule: body.rule }),
  };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(
      `on ${m.world.today} the rules answer ${JSON.stringify(want)}, the service ${res.status}: ${text.slice(0, 400)}`,
    );
  }
  real.steps++;
  real.tally.set(`${action.type} ${res.status}`, (real.tally.get(`${action.type} ${res.status}`) ?? 0) + 1);
  if (want.status < 300) {
    onSuccess(body);
    m.world = apply(m.world, action);
  }
  await compareViews(m.world, real);
}

/** What the public, the regulators by role and the stored results show, against the model. */
async function compareViews(w: World, real: Real): Promise<void> {
  const { h } = real;
  const indexOf = (id: string) => real.results.indexOf(id);
  for (const key of ['H', 'K'] as const) {
    const res = await expectStatus(h.call('GET', `/v1/institutions/${real.uscc[key]}`, null), 200);
    // biome-ignore lint/suspicious/noExplicitAny: compared field by field against the model below
    const d: any = await res.json();
    const seen = {
      grade: d.grade,
      score: d.score,
      publishedOn: d.publishedOn,
      nextReviewDue: d.nextReviewDue,
      reviewOverdue: d.reviewOverdue,
      closedOn: d.closed ? d.closedOn : null,
      measures: d.measures.map((x: { code: string }) => x.code),
      history: d.history.map(
        (x: { grade: string; reason: string; proposedGrade: string | null }) =>
          `${x.grade}:${x.reason}${x.proposedGrade ? `<${x.proposedGrade}` : ''}`,
      ),
      publicity: d.publicity
        ? {
            result: indexOf(d.publicity.resultId),
            proposedGrade: d.publicity.proposedGrade,
            stage: d.publicity.stage,
            gradeCap: d.publicity.gradeCap,
          }
        : null,
    };
    const view = publicView(w, key);
    deepStrictEqual(seen, view, `the public detail of ${key} on ${w.today}`);
    const html = await (await expectStatus(h.app.request(`/i/${real.uscc[key]}`), 200)).text();
    deepStrictEqual(
      {
        objectionForm: html.includes('<form'),
        awaitingConfirmation: html.includes('公示期满，待审核确认'),
        notToBePublished: html.includes('公示结果不予公布'),
        closed: html.includes('已注销/停业'),
      },
      {
        objectionForm: view.publicity?.stage === 'open',
        awaitingConfirmation: view.publicity?.stage === 'ended',
        notToBePublished: view.publicity?.stage === 'unpublishable',
        closed: view.closedOn !== null,
      },
      `the public page of ${key} on ${w.today}`,
    );
  }
  const listed = await (await expectStatus(h.call('GET', '/v1/publicity?limit=50', null), 200)).json();
  deepStrictEqual(
    (listed as { items: { resultId: string }[] }).items
      .map((i) => indexOf(i.resultId))
      .filter((n) => n >= 0)
      .sort((a, b) => a - b),
    publicityList(w),
    `/v1/publicity on ${w.today}`,
  );
  for (const as of ['city', 'district-in', 'district-out'] as const) {
    const res = await expectStatus(h.call('GET', '/v1/admin/watch-list', await tokenFor(real, as)), 200);
    const items = ((await res.json()) as { items: { uscc: string }[] }).items;
    deepStrictEqual(
      items.flatMap((i) => (i.uscc === real.uscc.H ? ['H'] : i.uscc === real.uscc.K ? ['K'] : [])).sort(),
      watchList(w, as),
      `the watch list as ${as} on ${w.today}`,
    );
  }
  // What the daily calendar-coverage job reports (and alarms on), without its metric line each step.
  const coverage = serviceCoverage(h.deps.calendar, w.today);
  deepStrictEqual(
    { coveredThrough: coverage.coveredThrough, daysAhead: coverage.daysAhead, short: coverage.short },
    calendarCoverage(w.today),
    `the calendar's coverage on ${w.today}`,
  );
  const latest = real.applications.length - 1;
  if (latest >= 0) {
    const key = w.applications[latest]!.key;
    const path = `/v1/admin/upgrade-applications/${real.applications[latest]}`;
    const own = await expectStatus(
      h.call('GET', path, await institutionToken(real, key, 'institution-own')),
      200,
    );
    deepStrictEqual(
      ((await own.json()) as { status: string }).status,
      w.applications[latest]!.status,
      `the institution's own view of application ${latest} on ${w.today}`,
    );
    await expectStatus(h.call('GET', path, await institutionToken(real, key, 'institution-other')), 403);
  }
  // The last few results as the regulators read them (older ones are final or unchanged).
  const city = await tokenFor(real, 'city');
  for (let n = Math.max(0, real.results.length - 3); n < real.results.length; n++) {
    const res = await expectStatus(h.call('GET', `/v1/admin/assessments/${real.results[n]}`, city), 200);
    const stored = ((await res.json()) as { result: { status: string } }).result.status;
    deepStrictEqual(stored, storedStage(w, n), `the status of result ${n} on ${w.today}`);
  }
}

/** The `n`-th latest (0: the latest), wrapping round. */
/** The change feed of the run's institutions, by type, against the model (once a run: it reads the whole feed). */
async function compareFeed(w: World, real: Real): Promise<void> {
  const counts: Record<Key, Record<string, number>> = { H: {}, K: {} };
  let afterSeq = 0;
  for (;;) {
    const page = await real.h.deps.events.list({ afterSeq, limit: 200, consistent: true });
    for (const e of page.items) {
      const key = e.uscc === real.uscc.H ? 'H' : e.uscc === real.uscc.K ? 'K' : null;
      if (key && e.type !== 'publicity_started' && e.type !== 'objection_upheld') {
        counts[key][e.type] = (counts[key][e.type] ?? 0) + 1;
      }
    }
    if (!page.more) break;
    afterSeq = page.lastSeq;
  }
  for (const key of ['H', 'K'] as const) {
    deepStrictEqual(counts[key], feedCounts(w, key), `the change feed of ${key} at the end of the run`);
  }
}

const pick = (n: number, length: number) => length - 1 - (n % length);

// ---- the commands --------------------------------------------------------------------------------

class Score implements Cmd {
  constructor(
    readonly key: Key,
    readonly score: number,
    readonly as: Role,
    readonly upgrade = false,
  ) {}
  check = () => true;
  async run(m: Model, real: Real) {
    const a: Action = { type: 'score', key: this.key, score: this.score, upgrade: this.upgrade, as: this.as };
    const reason = this.upgrade ? 'upgrade' : m.world.institutions[this.key].grade ? 'review' : 'initial';
    await act(
      m,
      real,
      a,
      async () =>
        real.h.call('POST', '/v1/admin/assessments', await tokenFor(real, this.as), {
          uscc: real.uscc[this.key],
          score: this.score,
          assessedOn: m.world.today,
          reason,
        }),
      (b) => real.results.push(b.id as string),
    );
  }
  toString = () => `score(${q(this.key)}, ${this.score}, ${q(this.as)}${this.upgrade ? ', true' : ''})`;
}

const STEP_PATHS = {
  approve: 'approve',
  recheck: 'recheck',
  publish: 'publish',
  withdraw: 'withdraw',
} as const;

class Step implements Cmd {
  constructor(
    readonly step: keyof typeof STEP_PATHS,
    readonly result: number,
    readonly as: Role,
  ) {}
  check = (m: Readonly<Model>) => m.world.results.length > 0;
  async run(m: Model, real: Real) {
    const n = pick(this.result, real.results.length);
    await act(m, real, { type: this.step, result: n, as: this.as }, async () =>
      real.h.call(
        'POST',
        `/v1/admin/assessments/${real.results[n]}/${STEP_PATHS[this.step]}`,
        await tokenFor(real, this.as),
      ),
    );
  }
  toString = () => `${this.step}(${this.result}, ${q(this.as)})`;
}

class Publicise implements Cmd {
  constructor(
    readonly result: number,
    readonly startIn: number,
    readonly as: Role,
  ) {}
  check = (m: Readonly<Model>) => m.world.results.length > 0;
  async run(m: Model, real: Real) {
    const n = pick(this.result, real.results.length);
    const body = this.startIn > 0 ? { startOn: addDays(m.world.today, this.startIn) } : {};
    await act(m, real, { type: 'publicise', result: n, startIn: this.startIn, as: this.as }, async () =>
      real.h.call(
        'POST',
        `/v1/admin/assessments/${real.results[n]}/publicity`,
        await tokenFor(real, this.as),
        body,
      ),
    );
  }
  toString = () => `publicise(${this.result}, ${this.startIn}, ${q(this.as)})`;
}

class ObjectTo implements Cmd {
  constructor(readonly result: number) {}
  check = (m: Readonly<Model>) => m.world.results.length > 0;
  async run(m: Model, real: Real) {
    const n = pick(this.result, real.results.length);
    const k = ++real.serial;
    await act(m, real, { type: 'object', result: n }, () =>
      // Each objection from its own address, with its own text: the per-client limits are not the rules'.
      objectFrom(
        real.h.app,
        real.results[n]!,
        `10.20.${k >> 8}.${k & 255}`,
        `第${k}条异议：评分与实际不符。`,
      ),
    );
  }
  toString = () => `object(${this.result})`;
}

class Dismiss implements Cmd {
  constructor(
    readonly result: number,
    readonly as: Role,
  ) {}
  check = (m: Readonly<Model>) => m.world.results.length > 0;
  async run(m: Model, real: Real) {
    const n = pick(this.result, real.results.length);
    await act(m, real, { type: 'dismiss', result: n, as: this.as }, async () =>
      real.h.call(
        'POST',
        `/v1/admin/assessments/${real.results[n]}/objections/dismissal`,
        await tokenFor(real, this.as),
        {
          resolution: '经核查，异议不成立。',
        },
      ),
    );
  }
  toString = () => `dismiss(${this.result}, ${q(this.as)})`;
}

class EndPublicity implements Cmd {
  check = () => true;
  async run(m: Model, real: Real) {
    const { h } = real;
    await act(m, real, { type: 'end_publicity' }, async () => {
      const db = real.dynamo.db;
      await new PublicityJob({
        results: h.deps.results,
        reader: h.deps.reader,
        audit: new AuditStore(db, h.table),
        state: new JobStateStore(db, h.table),
        notifier: h.notices,
        clock: h.clock,
        events: new EventStore(db, h.table, () => h.clock.now()),
      }).run(h.clock.today());
      return new Response(null, { status: 200 });
    });
  }
  toString = () => 'endPublicity()';
}

class Violation implements Cmd {
  constructor(
    readonly key: Key,
    readonly severity: Severity,
    readonly as: Role,
  ) {}
  check = () => true;
  async run(m: Model, real: Real) {
    await act(m, real, { type: 'violation', key: this.key, severity: this.severity, as: this.as }, async () =>
      real.h.call(
        'POST',
        `/v1/admin/institutions/${real.uscc[this.key]}/violations`,
        await tokenFor(real, this.as),
        {
          occurredOn: m.world.today,
          type: 'accident',
          severity: this.severity,
          // Each its own event: the same report twice is one violation (a retry), refused as a duplicate.
          description: `第${++real.serial}起医疗事故（${this.severity}）`,
        },
      ),
    );
  }
  toString = () => `violation(${q(this.key)}, ${q(this.severity)}, ${q(this.as)})`;
}

class Close implements Cmd {
  constructor(
    readonly key: Key,
    readonly as: Role,
  ) {}
  check = () => true;
  async run(m: Model, real: Real) {
    await act(m, real, { type: 'close', key: this.key, as: this.as }, async () =>
      real.h.call(
        'POST',
        `/v1/admin/institutions/${real.uscc[this.key]}/close`,
        await tokenFor(real, this.as),
        {
          closedOn: m.world.today,
        },
      ),
    );
  }
  toString = () => `close(${q(this.key)}, ${q(this.as)})`;
}

class Apply implements Cmd {
  constructor(
    readonly key: Key,
    readonly as: Role,
  ) {}
  check = () => true;
  async run(m: Model, real: Real) {
    const token = this.as.startsWith('institution')
      ? await institutionToken(real, this.key, this.as)
      : await tokenFor(real, this.as);
    await act(
      m,
      real,
      { type: 'apply', key: this.key, as: this.as },
      () =>
        real.h.call('POST', `/v1/institutions/${real.uscc[this.key]}/upgrade-applications`, token, {
          selfScore: 96,
          report: '自评报告：各项指标均已达到A级标准。',
        }),
      (b) => real.applications.push(b.id as string),
    );
  }
  toString = () => `applyForUpgrade(${q(this.key)}, ${q(this.as)})`;
}

class Decide implements Cmd {
  constructor(
    readonly application: number,
    readonly outcome: 'accepted' | 'refused' | 'untrue',
    readonly score: number,
    readonly as: Role,
  ) {}
  check = (m: Readonly<Model>) => m.world.applications.length > 0;
  async run(m: Model, real: Real) {
    const n = pick(this.application, real.applications.length);
    await act(
      m,
      real,
      { type: 'decide', application: n, outcome: this.outcome, score: this.score, as: this.as },
      async () =>
        real.h.call(
          'POST',
          `/v1/admin/upgrade-applications/${real.applications[n]}/decision`,
          await tokenFor(real, this.as),
          {
            outcome: this.outcome,
            reason: '经审核作出决定。',
            ...(this.outcome === 'accepted' && { score: this.score }),
          },
        ),
      (b) => {
        if (this.outcome === 'accepted') real.results.push(b.assessmentId as string);
      },
    );
  }
  toString = () => `decide(${this.application}, ${q(this.outcome)}, ${this.score}, ${q(this.as)})`;
}

/** Moves the clock forward to `date` (a later day only: the clock of the service never goes back). */
class ClockTo implements Cmd {
  constructor(readonly to: { days: number } | { date: string } | 'after-publicity') {}
  target(w: World): string | null {
    if (this.to === 'after-publicity') {
      const ends = w.results.flatMap((r) => (r.stage === 'in_publicity' ? [r.publicity!.endOn] : []));
      return ends.length > 0 ? addDays(ends.sort().at(-1)!, 1) : null;
    }
    return 'days' in this.to ? addDays(w.today, this.to.days) : this.to.date;
  }
  check = (m: Readonly<Model>) => {
    const t = this.target(m.world);
    return t !== null && t > m.world.today;
  };
  async run(m: Model, real: Real) {
    const t = this.target(m.world)!;
    real.h.clock.set(`${t}T10:00:00+08:00`);
    m.world = { ...m.world, today: t };
    real.steps++;
    real.tally.set('clock', (real.tally.get('clock') ?? 0) + 1);
    await compareViews(m.world, real);
  }
  toString = () =>
    this.to === 'after-publicity'
      ? 'clockAfterPublicity()'
      : 'days' in this.to
        ? `clockForward(${this.to.days})`
        : `clockTo(${q(this.to.date)})`;
}

/**
 * The next step of the `n`-th latest result in progress, by the role the rules give it: approval and
 * re-check for a clinic, publicity, the day after it, publication. Runs reach publication this way far
 * more often than by chance alone.
 */
class Progress implements Cmd {
  constructor(readonly result: number) {}
  resolve(w: World): Cmd | null {
    const open = w.results.flatMap((r, i) => (r.stage !== 'published' && r.stage !== 'withdrawn' ? [i] : []));
    if (open.length === 0) return null;
    const n = open[pick(this.result, open.length)]!;
    const r = w.results[n]!;
    const back = w.results.length - 1 - n;
    const clinic = w.institutions[r.key].kind === 'clinic';
    if (r.stage === 'scored') return clinic ? approve(back, 'district_admin-in') : publicise(back, 0, 'city');
    if (r.stage === 'approved') return recheck(back, 'city');
    if (r.stage === 'rechecked') return publicise(back, 0, 'city');
    return w.today > r.publicity!.endOn ? publish(back, 'guidance') : clockAfterPublicity();
  }
  check = (m: Readonly<Model>) => {
    const next = this.resolve(m.world);
    return next?.check(m) === true;
  };
  run = (m: Model, real: Real) => this.resolve(m.world)!.run(m, real);
  toString = () => `progress(${this.result})`;
}

// ---- factories: the names toString prints ---------------------------------------------------------

export const score = (key: Key, value: number, as: Role, upgrade = false) =>
  new Score(key, value, as, upgrade);
export const approve = (result: number, as: Role) => new Step('approve', result, as);
export const recheck = (result: number, as: Role) => new Step('recheck', result, as);
export const publish = (result: number, as: Role) => new Step('publish', result, as);
export const withdraw = (result: number, as: Role) => new Step('withdraw', result, as);
export const publicise = (result: number, startIn: number, as: Role) => new Publicise(result, startIn, as);
export const object = (result: number) => new ObjectTo(result);
export const dismiss = (result: number, as: Role) => new Dismiss(result, as);
export const endPublicity = () => new EndPublicity();
export const violation = (key: Key, severity: Severity, as: Role) => new Violation(key, severity, as);
export const close = (key: Key, as: Role) => new Close(key, as);
export const applyForUpgrade = (key: Key, as: Role) => new Apply(key, as);
export const decide = (
  application: number,
  outcome: 'accepted' | 'refused' | 'untrue',
  value: number,
  as: Role,
) => new Decide(application, outcome, value, as);
export const clockForward = (days: number) => new ClockTo({ days });
export const clockTo = (date: string) => new ClockTo({ date });
export const clockAfterPublicity = () => new ClockTo('after-publicity');
export const progress = (result: number) => new Progress(result);

// ---- the generators --------------------------------------------------------------------------------

/** Mostly the role the rules give the step, sometimes one they do not. */
const roleOr = (right: Role) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(right) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Role>(
        'city',
        'district-in',
        'district-out',
        'district_admin-in',
        'guidance',
        'institution-own',
        'institution-other',
        'association',
        'public',
      ),
    },
  );
const key = fc.constantFrom<Key>('H', 'K');
/** Scores at and around the grade bands' edges. */
const scores = fc.constantFrom(96, 95, 94.9, 90, 85, 84.9, 80, 75, 74.9, 60);
/** Which result or application a step takes, counted from the latest: mostly the latest two. */
const index = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constant(1) },
  fc.nat({ max: 7 }),
);

/**
 * Days worth landing on: the Spring Festival, Qingming, Labour Day and National Day holidays with their
 * make-up working days (2025–2026), the end of the covered calendar, and beyond it (2027–2028, with a
 * leap day) where only reads and refusals are meaningful.
 */
export const NOTABLE_DAYS = [
  '2025-01-24',
  '2025-01-26',
  '2025-02-07',
  '2025-04-03',
  '2025-04-27',
  '2025-04-30',
  '2025-09-26',
  '2025-09-28',
  '2025-09-30',
  '2025-10-10',
  '2025-12-24',
  '2026-01-04',
  '2026-02-13',
  '2026-02-14',
  '2026-02-27',
  '2026-04-03',
  '2026-04-30',
  '2026-05-09',
  '2026-09-18',
  '2026-09-30',
  '2026-10-09',
  '2026-12-21',
  '2026-12-24',
  '2026-12-28',
  '2026-12-31',
] as const;
const LATE_DAYS = ['2027-01-04', '2027-06-01', '2028-02-29', '2028-03-01'] as const;

const clockMoves = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(1, 2, 3, 7, 30).map(clockForward) },
  { weight: 3, arbitrary: fc.constant(clockAfterPublicity()) },
  { weight: 2, arbitrary: fc.constantFrom(...NOTABLE_DAYS).map(clockTo) },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.constantFrom(...LATE_DAYS).map(clockTo), fc.constant(clockForward(400))),
  },
);

const w = (weight: number, arbitrary: fc.Arbitrary<Cmd>) => ({ weight, arbitrary });

/** Every command, weighted so that runs often get through publicity to publication. */
export const commandArb: fc.Arbitrary<Cmd> = fc.oneof(
  w(
    6,
    fc
      .tuple(key, scores)
      .chain(([k, s]) => roleOr(k === 'H' ? 'city' : 'district-in').map((as) => score(k, s, as))),
  ),
  w(
    1,
    fc.tuple(key, scores).map(([k, s]) => score(k, s, k === 'H' ? 'city' : 'district-in', true)),
  ),
  w(
    4,
    fc.tuple(index, roleOr('district_admin-in')).map(([n, as]) => approve(n, as)),
  ),
  w(
    4,
    fc.tuple(index, roleOr('city')).map(([n, as]) => recheck(n, as)),
  ),
  w(
    5,
    fc.tuple(index, fc.constantFrom(0, 0, 0, 3, 10), roleOr('city')).map(([n, d, as]) => publicise(n, d, as)),
  ),
  w(2, index.map(object)),
  w(
    2,
    fc.tuple(index, roleOr('city')).map(([n, as]) => dismiss(n, as)),
  ),
  w(2, fc.constant(endPublicity())),
  w(
    6,
    fc.tuple(index, roleOr('guidance')).map(([n, as]) => publish(n, as)),
  ),
  w(
    1,
    fc.tuple(index, roleOr('city')).map(([n, as]) => withdraw(n, as)),
  ),
  w(
    5,
    fc
      .tuple(key, fc.constantFrom<Severity>('minor', 'general', 'serious', 'severe'))
      .chain(([k, s]) => roleOr('city').map((as) => violation(k, s, as))),
  ),
  w(
    1,
    fc.tuple(key, roleOr('city')).map(([k, as]) => close(k, as)),
  ),
  w(
    3,
    fc.tuple(key, roleOr('institution-own')).map(([k, as]) => applyForUpgrade(k, as)),
  ),
  w(
    3,
    fc
      .tuple(
        index,
        fc.constantFrom<'accepted' | 'refused' | 'untrue'>('accepted', 'accepted', 'refused', 'untrue'),
        scores,
      )
      .map(([n, o, s]) => decide(n, o, s, 'city')),
  ),
  w(
    2,
    fc.tuple(index, scores, roleOr('district-in')).map(([n, s, as]) => decide(n, 'accepted', s, as)),
  ),
  w(9, clockMoves),
  w(12, index.map(progress)),
);

/** A first day in 2025–2026: the start of a run. */
export const firstDay = fc.constantFrom<string>(...NOTABLE_DAYS.filter((d) => d < '2026-12-01'));

/**
 * Two new institutions registered on `today`, a hospital of 上城区 (general anaesthesia) and a clinic of
 * 西湖区 (liposuction), in `h`'s table or a fresh one. Runs may share a table: each sees only its own
 * institutions and results.
 */
export async function setup(
  dynamo: TestDynamo,
  today: string,
  opts: { h?: AdminHarness; tally?: Map<string, number> } = {},
): Promise<{ model: Model; real: Real }> {
  const h = opts.h ?? (await adminHarness(dynamo));
  h.clock.set(`${today}T10:00:00+08:00`);
  const city = await h.token('city');
  const hospital = { ...hospitalIn('上城区'), services: { generalAnesthesia: true } };
  const clinic = clinicIn('西湖区');
  await expectStatus(h.call('POST', '/v1/admin/institutions', city, hospital), 201);
  await expectStatus(h.call('POST', '/v1/admin/institutions', city, clinic), 201);
  return {
    model: { world: initialWorld(today) },
    real: {
      h,
      dynamo,
      uscc: { H: hospital.uscc, K: clinic.uscc },
      results: [],
      applications: [],
      tokens: new Map(),
      serial: 0,
      tally: opts.tally ?? new Map(),
      steps: 0,
    },
  };
}

/** Replays a printed sequence from `today`: a failure pasted into a regression test. */
export async function replay(dynamo: TestDynamo, today: string, commands: Cmd[]): Promise<void> {
  const { model, real } = await setup(dynamo, today);
  for (const c of commands) if (c.check(model)) await c.run(model, real);
}

/**
 * A failure as a regression test can take it: the first day and the shrunk commands as calls to paste into
 * `replay(dynamo, day, [...])`, fast-check's seed and path to replay the run, and what diverged.
 */
export function failureReport(details: fc.RunDetails<[string, Iterable<Cmd>]>): string | null {
  if (!details.failed) return null;
  const lines = [`seed ${details.seed}, path "${details.counterexamplePath}"`];
  if (details.counterexample) {
    const [day, cmds] = details.counterexample;
    const calls = [...cmds].map((c) => `  ${c.toString().replace(/\s*\/\*.*\*\//, '')},`);
    lines.push(`await replay(dynamo, '${day}', [`, ...calls, ']);');
  }
  const error = details.errorInstance;
  lines.push(error instanceof Error ? error.message : String(error));
  return lines.join('\n');
}

export interface ModelRunOptions {
  runs: number;
  seed?: number;
  /** fast-check's path of a failure to replay (printed with it). */
  path?: string;
  maxCommands?: number;
  /** Counts the steps taken, by action and status. */
  tally?: Map<string, number>;
  /** Runs and steps taken (shrinking included), and the most steps of one run. */
  stats?: { runs: number; steps: number; longest: number };
}

/**
 * Runs the property: `runs` random sequences from a random notable first day. On failure fast-check shrinks
 * the sequence and the error names the seed, the path and the shrunk commands.
 */
export async function runModel(
  dynamo: TestDynamo,
  opts: ModelRunOptions,
): Promise<fc.RunDetails<[string, Iterable<Cmd>]>> {
  let runs = 0;
  let h = await adminHarness(dynamo);
  const property = fc.asyncProperty(
    firstDay,
    fc.commands([commandArb], { maxCommands: opts.maxCommands ?? 30, size: 'max' }),
    async (today, cmds) => {
      // A fresh table every few runs keeps the public lists short (results other runs left in publicity).
      if (runs++ % 8 === 0) h = await adminHarness(dynamo);
      const { model, real } = await setup(dynamo, today, { h, tally: opts.tally });
      await fc.asyncModelRun(() => ({ model, real }), cmds);
      await compareFeed(model.world, real);
      if (opts.stats) {
        opts.stats.runs++;
        opts.stats.steps += real.steps;
        opts.stats.longest = Math.max(opts.stats.longest, real.steps);
      }
    },
  );
  return fc.check(property, {
    numRuns: opts.runs,
    ...(opts.seed !== undefined && { seed: opts.seed }),
    ...(opts.path !== undefined && { path: opts.path, endOnFailure: true }),
  });
}
