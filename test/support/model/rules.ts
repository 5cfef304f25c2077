// The official calendar and the city's rulebook are plain data: re-typing them here would only copy them,
// so the model reads the same files the service is configured with. Everything else below is written from
// the rules (docs/rules.md, docs/lifecycle.md), not from the service's domain code.
import { readdirSync, readFileSync } from 'node:fs';
import rulebook from '../../../rulebooks/hangzhou.json' with { type: 'json' };

/**
 * A reference model of the grading rules: the state a reader of the rules would keep on paper, what each
 * lifecycle action is answered (allowed, or refused and why) and what the public and the regulators see
 * afterwards. Pure: no I/O, no clock of its own; the model-based test compares it with the service.
 */

export type Grade = 'A' | 'B' | 'C' | 'D';
export type Severity = 'minor' | 'general' | 'serious' | 'severe';
export type Role =
  | 'city'
  | 'district-in'
  | 'district-out'
  | 'district_admin-in'
  | 'guidance'
  | 'institution-own'
  | 'institution-other'
  | 'association'
  | 'public';
export type Key = 'H' | 'K';
export type Stage =
  | 'scored'
  | 'approved'
  | 'rechecked'
  | 'in_publicity'
  | 'publicity_ended'
  | 'published'
  | 'withdrawn';

export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D'];
const rules = rulebook.revisions[0]!;

export interface Institution {
  key: Key;
  /** H: a hospital the city scores; K: a clinic its district (西湖区) scores, approves, and the city re-checks. */
  kind: 'hospital' | 'clinic';
  district: string;
  closedOn: string | null;
  grade: Grade | null;
  score: number | null;
  publishedOn: string | null;
  nextReviewDue: string | null;
  history: { grade: Grade; reason: string; proposedGrade: Grade | null }[];
  violations: { on: string; severity: Severity; gradeBefore: Grade | null; downgradedTo: Grade | null }[];
  upgradeYears: number[];
  banUntil: string | null;
  /**
   * The result whose publicity the page shows: one at a time, the one posted last, until it is published
   * or withdrawn. The rules are silent on two results of one institution in progress at once; the page
   * shows the newer publicity (the one open to objections), not an older one still awaiting confirmation.
   */
  shownPublicity: number | null;
}

export interface Result {
  key: Key;
  grade: Grade;
  score: number;
  reason: 'initial' | 'review' | 'upgrade';
  assessedOn: string;
  /** As stored: `publicity_ended` only once the daily job recorded the end. */
  stage: Stage;
  publicity: { startOn: string; endOn: string } | null;
  openObjections: number;
  /** Withdrawn because its institution closed. */
  closedWith?: boolean;
}

export interface Application {
  key: Key;
  status: 'pending' | 'accepted' | 'refused' | 'untrue';
}

export interface World {
  today: string;
  institutions: Record<Key, Institution>;
  results: Result[];
  applications: Application[];
}

/** What the service is expected to answer: a status and, for a refusal, the precondition it names. */
export interface Outcome {
  status: number;
  precondition?: string;
  /** 422 refusals also carry the rule's code. */
  rule?: string;
}

const ok = (status = 200): Outcome => ({ status });
const conflict = (precondition: string): Outcome => ({ status: 409, precondition });
const refused = (precondition: string, rule: string): Outcome => ({ status: 422, precondition, rule });

export function initialWorld(today: string): World {
  const inst = (key: Key, kind: Institution['kind'], district: string): Institution => ({
    key,
    kind,
    district,
    closedOn: null,
    grade: null,
    score: null,
    publishedOn: null,
    nextReviewDue: null,
    history: [],
    violations: [],
    upgradeYears: [],
    banUntil: null,
    shownPublicity: null,
  });
  return {
    today,
    institutions: { H: inst('H', 'hospital', '上城区'), K: inst('K', 'clinic', '西湖区') },
    results: [],
    applications: [],
  };
}

// ---- dates and the working-day calendar -------------------------------------------------------------

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The official year files in data/calendar/: each year's holidays and make-up working days. */
const calendarFolder = new URL('../../../data/calendar/', import.meta.url);
const officialYears = readdirSync(calendarFolder).map(
  (name) =>
    JSON.parse(readFileSync(new URL(name, calendarFolder), 'utf8')) as {
      year: number;
      holidays: { date: string }[];
      workdays: { date: string }[];
    },
);
const holidays = new Set(officialYears.flatMap((y) => y.holidays.map((d) => d.date)));
const makeUpDays = new Set(officialYears.flatMap((y) => y.workdays.map((d) => d.date)));
const coveredYears = new Set(officialYears.map((y) => y.year));

/** The State Council's schedule is known for the year (never guessed). */
export const calendarCovers = (date: string) => coveredYears.has(Number(date.slice(0, 4)));

/** A working day: Monday to Friday unless a public holiday, or a make-up working day (调休) at the weekend. */
export function isWorkingDay(date: string): boolean {
  if (makeUpDays.has(date)) return true;
  if (holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Publicity: day 1 is the posting day if it is a working day, else the next one; it ends with the 5th
 * working day. Null when a day it needs lies in a year the calendar does not cover.
 */
export function publicityWindow(posted: string): { startOn: string; endOn: string } | null {
  let day = posted;
  let startOn: string | null = null;
  let counted = 0;
  for (;;) {
    if (!calendarCovers(day)) return null;
    if (isWorkingDay(day)) {
      startOn ??= day;
      counted++;
      if (counted === rules.publicity.workingDays) return { startOn, endOn: day };
    }
    day = addDays(day, 1);
  }
}

// ---- grades -----------------------------------------------------------------------------------------

/** A ≥ 95, 85 ≤ B < 95, 75 ≤ C < 85, D below. */
export function gradeOf(score: number): Grade {
  if (score >= 95) return 'A';
  if (score >= 85) return 'B';
  if (score >= 75) return 'C';
  return 'D';
}

const rank = (g: Grade) => GRADES.indexOf(g);
const higher = (a: Grade, than: Grade) => rank(a) < rank(than);

/** The grade a violation leaves: minor none, general one down, serious two, severe D; never below D. */
export function lowered(grade: Grade, severity: Severity): Grade {
  const steps: number | string = rules.downgrade[severity];
  if (typeof steps !== 'number') return 'D';
  return GRADES[Math.min(rank(grade) + steps, GRADES.length - 1)]!;
}

export const reviewDue = (from: string, grade: Grade) => addYears(from, rules.reviewIntervalYears[grade]);

/** The conveniences a grade earns, by code. */
export const conveniences = (grade: Grade | null): string[] =>
  grade ? rules.conveniences.filter((c) => c.grades.includes(grade)).map((c) => c.code) : [];

// ---- what the rules derive ---------------------------------------------------------------------------

const inProgress = (r: Result) => r.stage !== 'published' && r.stage !== 'withdrawn';

/** Publicity past its end counts as ended on the day after `endOn`, whether or not the job recorded it. */
const publicityOver = (w: World, r: Result) => r.publicity !== null && w.today > r.publicity.endOn;

const effectiveStage = (w: World, r: Result): Stage =>
  r.stage === 'in_publicity' && publicityOver(w, r) ? 'publicity_ended' : r.stage;

/**
 * A violation recorded while the institution had no grade applies to the proposed grade of a result
 * assessed on or before it: cumulative, in the order they happened. Null when nothing lowers it.
 */
export function gradeCap(w: World, r: Result): Grade | null {
  let cap: Grade | null = null;
  const since = w.institutions[r.key].violations
    .filter((v) => v.gradeBefore === null && v.on >= r.assessedOn)
    .sort((a, b) => a.on.localeCompare(b.on));
  for (const v of since) {
    const to = lowered(cap ?? r.grade, v.severity);
    if (to !== (cap ?? r.grade)) cap = to;
  }
  return cap;
}

/** A downgrade stands over a result assessed on or before its violation that would lift the grade over it. */
const downgradeStands = (w: World, r: Result) =>
  w.institutions[r.key].violations.some(
    (v) => v.downgradedTo !== null && v.on >= r.assessedOn && higher(r.grade, v.downgradedTo),
  );

/** Order of the flow: clinics are approved (审定) and re-checked (复核) before publicity. */
function nextStage(
  kind: Institution['kind'],
  from: Stage,
  step: 'approve' | 'recheck' | 'publicise' | 'publish' | 'withdraw',
): Stage | null {
  if (step === 'withdraw') return from === 'published' || from === 'withdrawn' ? null : 'withdrawn';
  const flow: Record<string, Partial<Record<Stage, Stage>>> = {
    approve: kind === 'clinic' ? { scored: 'approved' } : {},
    recheck: kind === 'clinic' ? { approved: 'rechecked' } : {},
    publicise: kind === 'clinic' ? { rechecked: 'in_publicity' } : { scored: 'in_publicity' },
    publish: { publicity_ended: 'published' },
  };
  return flow[step]?.[from] ?? null;
}

// ---- who may act -------------------------------------------------------------------------------------

/** An unauthenticated caller of a regulator route is 401; a role the rules do not give the step is 403. */
function permitted(role: Role, allowed: readonly Role[]): Outcome | null {
  if (allowed.includes(role)) return null;
  return { status: role === 'public' ? 401 : 403 };
}

/** The city for hospitals; the clinic's own district for clinics. */
const scorers = (i: Institution): Role[] => (i.kind === 'clinic' ? ['district-in'] : ['city']);
const regulators = (i: Institution): Role[] => (i.kind === 'clinic' ? ['city', 'district-in'] : ['city']);

// ---- the actions --------------------------------------------------------------------------------------

export type Action =
  | { type: 'score'; key: Key; score: number; upgrade: boolean; as: Role }
  | { type: 'approve' | 'recheck' | 'withdraw' | 'publish'; result: number; as: Role }
  | { type: 'publicise'; result: number; startIn: number; as: Role }
  | { type: 'object'; result: number }
  | { type: 'dismiss'; result: number; as: Role }
  | { type: 'end_publicity' }
  | { type: 'violation'; key: Key; severity: Severity; as: Role }
  | { type: 'close'; key: Key; as: Role }
  | { type: 'apply'; key: Key; as: Role }
  | {
      type: 'decide';
      application: number;
      outcome: 'accepted' | 'refused' | 'untrue';
      score: number;
      as: Role;
    };

/** What the service must answer to `a` in world `w`; `apply` then gives the world after a success. */
export function expected(w: World, a: Action): Outcome {
  switch (a.type) {
    case 'score': {
      const i = w.institutions[a.key];
      const who = permitted(a.as, scorers(i));
      if (who) return who;
      if (i.closedOn) return conflict('institution-open');
      if (a.upgrade) return refused('scored-directly', 'upgrade-via-application');
      return ok(201);
    }
    case 'approve':
    case 'recheck':
    case 'publicise':
    case 'publish':
    case 'withdraw': {
      const r = w.results[a.result]!;
      const i = w.institutions[r.key];
      const allowed: Role[] = {
        approve: i.kind === 'clinic' ? ['district_admin-in' as const] : [],
        recheck: ['city' as const],
        publicise: ['city' as const],
        publish: ['guidance' as const],
        withdraw: ['city' as const],
      }[a.type];
      const who = permitted(a.as, allowed);
      if (who) return who;
      if (a.type !== 'withdraw' && i.closedOn) return conflict('institution-open');
      if (a.type === 'publish' && r.stage === 'in_publicity' && !publicityOver(w, r)) {
        return conflict('publicity-ended');
      }
      if (!nextStage(i.kind, effectiveStage(w, r), a.type)) return conflict('step-legal');
      if (a.type === 'publicise') {
        const other = w.results.find(
          (o) => o !== r && o.key === r.key && o.stage === 'in_publicity' && w.today <= o.publicity!.endOn,
        );
        if (other) return conflict('no-other-publicity');
        if (!publicityWindow(addDays(w.today, a.startIn))) {
          return refused('calendar-covers', 'calendar-not-covered');
        }
      }
      if (a.type === 'publish') {
        if (r.openObjections > 0) return conflict('no-open-objections');
        if (downgradeStands(w, r)) return conflict('downgrade-not-lifted');
      }
      return ok();
    }
    case 'object': {
      const r = w.results[a.result]!;
      if (w.institutions[r.key].closedOn) return conflict('institution-open');
      if (r.stage !== 'in_publicity') return conflict('in-publicity');
      if (w.today < r.publicity!.startOn) return conflict('publicity-started');
      if (w.today > r.publicity!.endOn) return conflict('publicity-running');
      return ok(201);
    }
    case 'dismiss':
      return permitted(a.as, ['city']) ?? ok();
    case 'end_publicity':
      return ok();
    case 'violation':
      return permitted(a.as, regulators(w.institutions[a.key])) ?? ok(201);
    case 'close': {
      const i = w.institutions[a.key];
      const who = permitted(a.as, regulators(i));
      if (who) return who;
      return i.closedOn ? conflict('institution-open') : ok();
    }
    case 'apply': {
      const who = permitted(a.as, ['institution-own']);
      if (who) return who;
      const i = w.institutions[a.key];
      if (i.closedOn) return conflict('institution-open');
      if (i.grade !== 'B' && i.grade !== 'C') return refused('upgradable-grade', 'grade_not_eligible');
      if (i.banUntil && w.today < i.banUntil) return refused('not-banned', 'banned');
      if (i.upgradeYears.includes(Number(w.today.slice(0, 4)))) {
        return refused('once-a-year', 'already_applied_this_year');
      }
      return ok(201);
    }
    case 'decide': {
      const app = w.applications[a.application]!;
      const i = w.institutions[app.key];
      // A clinic's upgrade is scored by its district, so only the district accepts it.
      const allowed: Role[] =
        i.kind === 'clinic'
          ? a.outcome === 'accepted'
            ? ['district-in']
            : ['city', 'district-in']
          : ['city'];
      const who = permitted(a.as, allowed);
      if (who) return who;
      if (i.closedOn) return conflict('institution-open');
      if (app.status !== 'pending') return conflict('application-pending');
      return ok();
    }
  }
}

/** The world after `a` succeeded (the caller checked `expected(w, a)` was a success). */
export function apply(w: World, a: Action): World {
  const next: World = structuredClone(w);
  const today = w.today;
  switch (a.type) {
    case 'score':
      next.results.push(
        newResult(next, a.key, a.score, next.institutions[a.key].grade ? 'review' : 'initial'),
      );
      break;
    case 'approve':
    case 'recheck':
    case 'withdraw': {
      const r = next.results[a.result]!;
      r.stage = nextStage(next.institutions[r.key].kind, effectiveStage(next, r), a.type)!;
      unshow(next, a.result);
      break;
    }
    case 'publicise': {
      const r = next.results[a.result]!;
      r.stage = 'in_publicity';
      r.publicity = publicityWindow(addDays(today, a.startIn));
      next.institutions[r.key].shownPublicity = a.result;
      break;
    }
    case 'publish': {
      const r = next.results[a.result]!;
      const i = next.institutions[r.key];
      const cap = gradeCap(next, r);
      const grade = cap ?? r.grade;
      r.stage = 'published';
      r.openObjections = 0;
      unshow(next, a.result);
      Object.assign(i, { grade, score: r.score, publishedOn: today, nextReviewDue: reviewDue(today, grade) });
      i.history.unshift({ grade, reason: r.reason, proposedGrade: cap ? r.grade : null });
      break;
    }
    case 'object':
      next.results[a.result]!.openObjections++;
      break;
    case 'dismiss':
      next.results[a.result]!.openObjections = 0;
      break;
    case 'end_publicity':
      for (const r of next.results)
        if (r.stage === 'in_publicity' && publicityOver(next, r)) r.stage = 'publicity_ended';
      break;
    case 'violation': {
      const i = next.institutions[a.key];
      const before = i.grade;
      const to = before && before !== 'D' ? lowered(before, a.severity) : null;
      const downgradedTo = to && to !== before ? to : null;
      i.violations.push({ on: today, severity: a.severity, gradeBefore: before, downgradedTo });
      if (downgradedTo) {
        // It takes effect at once; the re-review comes no later than the new grade's interval from today.
        const due = reviewDue(today, downgradedTo);
        i.grade = downgradedTo;
        i.nextReviewDue = i.nextReviewDue && i.nextReviewDue < due ? i.nextReviewDue : due;
        i.history.unshift({ grade: downgradedTo, reason: 'downgrade', proposedGrade: null });
      }
      break;
    }
    case 'close': {
      next.institutions[a.key].closedOn = today;
      for (const r of next.results) {
        if (r.key === a.key && inProgress(r)) Object.assign(r, { stage: 'withdrawn', closedWith: true });
      }
      break;
    }
    case 'apply':
      next.institutions[a.key].upgradeYears.push(Number(today.slice(0, 4)));
      next.applications.push({ key: a.key, status: 'pending' });
      break;
    case 'decide': {
      const app = next.applications[a.application]!;
      app.status = a.outcome;
      if (a.outcome === 'accepted') next.results.push(newResult(next, app.key, a.score, 'upgrade'));
      if (a.outcome === 'untrue') {
        const i = next.institutions[app.key];
        const until = addYears(today, rules.upgrade.banYears);
        if (!i.banUntil || i.banUntil < until) i.banUntil = until;
      }
      break;
    }
  }
  return next;
}

function unshow(w: World, n: number): void {
  const i = w.institutions[w.results[n]!.key];
  if (i.shownPublicity === n) i.shownPublicity = null;
}

function newResult(w: World, key: Key, score: number, reason: Result['reason']): Result {
  return {
    key,
    grade: gradeOf(score),
    score,
    reason,
    assessedOn: w.today,
    stage: 'scored',
    publicity: null,
    openObjections: 0,
  };
}

// ---- what each party sees ----------------------------------------------------------------------------

export interface PublicView {
  grade: Grade | null;
  score: number | null;
  publishedOn: string | null;
  nextReviewDue: string | null;
  reviewOverdue: boolean;
  closedOn: string | null;
  measures: string[];
  history: string[];
  publicity: { result: number; proposedGrade: Grade; stage: string; gradeCap: Grade | null } | null;
}

/** The institution's public page, as the rules say it reads today. */
export function publicView(w: World, key: Key): PublicView {
  const i = w.institutions[key];
  const closed = i.closedOn !== null;
  const shown = closed ? null : i.shownPublicity;
  const posted = shown === null ? null : w.results[shown]!;
  const r = posted && posted.publicity!.startOn <= w.today ? posted : null;
  return {
    grade: i.grade,
    score: i.score,
    publishedOn: i.publishedOn,
    // A closed institution owes no re-review and earns no conveniences.
    nextReviewDue: closed ? null : i.nextReviewDue,
    reviewOverdue: !closed && i.nextReviewDue !== null && w.today > i.nextReviewDue,
    closedOn: i.closedOn,
    measures: closed ? [] : conveniences(i.grade),
    history: i.history.map((h) => `${h.grade}:${h.reason}${h.proposedGrade ? `<${h.proposedGrade}` : ''}`),
    publicity: r
      ? {
          result: shown!,
          proposedGrade: r.grade,
          stage: downgradeStands(w, r) ? 'unpublishable' : publicityOver(w, r) ? 'ended' : 'open',
          gradeCap: gradeCap(w, r),
        }
      : null,
  };
}

/** The results listed in `/v1/publicity`: publicity begun and not over, institution open. */
export const publicityList = (w: World): number[] =>
  w.results.flatMap((r, n) =>
    r.stage === 'in_publicity' &&
    !w.institutions[r.key].closedOn &&
    r.publicity!.startOn <= w.today &&
    w.today <= r.publicity!.endOn
      ? [n]
      : [],
  );

/**
 * The watch list (重点关注清单), regulators only: open D institutions with a high-risk activity (both
 * institutions of the test have one). A district supervision institute sees the clinics of its own
 * district (西湖区 here; the other district, 上城区, sees neither the clinic nor the city's hospital).
 */
export function watchList(w: World, as: 'city' | 'district-in' | 'district-out'): Key[] {
  const sees = (i: Institution) => as === 'city' || (as === 'district-in' && i.kind === 'clinic');
  return (['H', 'K'] as const).filter((k) => {
    const i = w.institutions[k];
    return i.grade === 'D' && !i.closedOn && sees(i);
  });
}

/** The result's status as the regulators read it. */
export const storedStage = (w: World, n: number): Stage => w.results[n]!.stage;

/**
 * The operator's view of the calendar: the last day of the unbroken run of covered years from today, how
 * many days ahead that is, and whether it is short (fewer than 60 days: the alarm to add next year's data).
 */
export function calendarCoverage(today: string): {
  coveredThrough: string | null;
  daysAhead: number;
  short: boolean;
} {
  if (!calendarCovers(today)) return { coveredThrough: null, daysAhead: 0, short: true };
  let year = Number(today.slice(0, 4));
  while (coveredYears.has(year + 1)) year++;
  const coveredThrough = `${year}-12-31`;
  const daysAhead = Math.round((Date.parse(coveredThrough) - Date.parse(today)) / 86_400_000);
  return { coveredThrough, daysAhead, short: daysAhead < 60 };
}

/**
 * The change feed of an institution, counted by type: registration, publications, downgrades, closing,
 * and a withdrawal for each result withdrawn once publicised or withdrawn because the institution closed.
 */
export function feedCounts(w: World, key: Key): Record<string, number> {
  const i = w.institutions[key];
  const mine = w.results.filter((r) => r.key === key);
  const counts: Record<string, number> = {
    institution_registered: 1,
    published: mine.filter((r) => r.stage === 'published').length,
    downgraded: i.violations.filter((v) => v.downgradedTo !== null).length,
    withdrawn: mine.filter((r) => r.stage === 'withdrawn' && (r.publicity !== null || r.closedWith)).length,
    institution_closed: i.closedOn ? 1 : 0,
  };
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
