import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import { addDays, addYears, daysBetween, shanghaiIso } from '../domain/dates.ts';
import { entersDishonestyRecord } from '../domain/dishonesty.ts';
import { downgradedDueDate, downgradeTarget } from '../domain/downgrade.ts';
import { CalendarNotCoveredError } from '../domain/errors.ts';
import { gradeForScore } from '../domain/grading.ts';
import type {
  ChangeEvent,
  GradingResult,
  HistoryEntry,
  InstitutionPrivate,
  InstitutionProfile,
  PublicityInfo,
} from '../domain/model.ts';
import type { RegisterRow } from '../domain/register-row.ts';
import { tallyKey, tallyOf } from '../domain/register-tally.ts';
import { firstPendingReminder, isReviewOverdue, nextReviewDue } from '../domain/review.ts';
import { type RuleRevision, rulebook, rulesOn } from '../domain/rules.ts';
import { registerRowOf } from '../domain/search-terms.ts';
import {
  type District,
  GRADES,
  type Grade,
  type Kind,
  type LocalDate,
  type Severity,
  type ViolationType,
} from '../domain/types.ts';
import { makeUscc, USCC_CHARSET } from '../domain/uscc.ts';
import { downgradeEvent } from '../services/violations.ts';
import { profileItem } from '../store/institution-writer.ts';
import { keys, publicityIndexKeys, resultIndexKeys } from '../store/keys.ts';
import { registerRowItem } from '../store/register-rows.ts';
import type { StoredViolation } from '../store/workflow.ts';
import { withDemoCapabilities } from './demo-capabilities.ts';

/**
 * Fictitious demonstration data: every name carries "（演示）" so none can be taken for a real
 * business. Deterministic for a given `today` and count.
 */

/** The made-up middle parts of demo names (the benches search for them too). */
export const DEMO_NAME_CORES = [
  '悦颜',
  '素妍',
  '澜庭',
  '映画',
  '初禾',
  '知美',
  '拾光',
  '云裳',
  '清溪',
  '木棉',
  '星河',
  '若水',
  '听雨',
  '青柠',
  '月白',
  '南山',
  '微澜',
  '半夏',
  '鹿鸣',
  '暖阳',
  '晨露',
  '繁花',
  '朗月',
  '禾木',
  '锦瑟',
  '兰亭',
  '秋实',
  '安然',
  '雅致',
  '臻选',
];
const KIND_SUFFIX: Record<Kind, string> = {
  hospital: '医疗美容医院',
  outpatient: '医疗美容门诊部',
  clinic: '医疗美容诊所',
};
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoOptions {
  count: number;
  today: LocalDate;
  calendar: WorkingDayCalendar;
  seed?: number;
}

/** A change event of the demo, with the workflow's own idempotency key where the workflow has one. */
export type DemoEvent = ChangeEvent & { key?: string };

export interface DemoData {
  profiles: InstitutionProfile[];
  privates: InstitutionPrivate[];
  results: GradingResult[];
  events: DemoEvent[];
  violations: StoredViolation[];
}

type Scenario =
  | 'ungraded'
  | 'first_publicity'
  | 'review_publicity'
  | 'due_soon'
  | 'overdue'
  | 'downgraded'
  | 'closed'
  | 'graded';

function scenarioFor(r: number): Scenario {
  if (r < 0.08) return 'ungraded';
  if (r < 0.13) return 'first_publicity';
  if (r < 0.18) return 'review_publicity';
  if (r < 0.28) return 'due_soon';
  if (r < 0.34) return 'overdue';
  if (r < 0.38) return 'downgraded';
  if (r < 0.41) return 'closed';
  return 'graded';
}

/** A score whose grade follows a fixed spread (A 20%, B 35%, C 30%, D 15%), within the revision's bands. */
function randomScore(random: () => number, rules: RuleRevision): number {
  const band = random();
  const i = band < 0.2 ? 0 : band < 0.55 ? 1 : band < 0.85 ? 2 : 3;
  const above = i === 0 ? 100 : (rules.grades[i - 1]?.min ?? 100);
  const low = i === GRADES.length - 1 ? above - 20 : (rules.grades[i]?.min ?? 0);
  return Math.min(100, Math.round((low + random() * (above - low)) * 10) / 10);
}

const at = (date: LocalDate, hour = 10) =>
  shanghaiIso(new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`));

/** One demo institution while it is being built: who it is and what has happened to it so far. */
interface DemoInstitution {
  n: number;
  uscc: string;
  name: string;
  core: string;
  kind: Kind;
  district: District;
  registeredOn: LocalDate;
  assessor: string;
  history: HistoryEntry[];
  publicity: PublicityInfo | null;
  /** The re-review due date a downgrade moved, when there was one. */
  downgradedDue: LocalDate | null;
  closedOn: LocalDate | null;
}

/** What the builder shares across institutions: the options, the random stream, and the data so far. */
interface DemoBuild {
  opts: DemoOptions;
  random: () => number;
  book: ReturnType<typeof rulebook>;
  data: DemoData;
  events: Array<Omit<DemoEvent, 'id' | 'seq'>>;
  usedNames: Set<string>;
}

/** Builds the demo register in memory (pure). */
export function buildDemoData(opts: DemoOptions): DemoData {
  const seed = opts.seed ?? 20261123;
  const build: DemoBuild = {
    opts,
    random: rng(seed),
    book: rulebook(),
    data: { profiles: [], privates: [], results: [], events: [], violations: [] },
    events: [],
    usedNames: new Set(),
  };
  for (let n = 0; n < opts.count; n++) {
    const inst = registerInstitution(build, n);
    const scenario = scenarioFor(build.random());
    inst.registeredOn = addDays(opts.today, -Math.floor(400 + build.random() * 2400));
    build.events.push({
      type: 'institution_registered',
      uscc: inst.uscc,
      district: inst.district,
      occurredAt: at(inst.registeredOn, 9),
      before: null,
      after: { name: inst.name, kind: inst.kind, district: inst.district },
    });
    if (scenario !== 'ungraded' && scenario !== 'first_publicity') gradedHistory(build, inst, scenario);
    if (scenario === 'first_publicity' || scenario === 'review_publicity') inPublicity(build, inst);
    // The downgrades and closures draw from their own stream, so the rest of the register is the same
    // whichever institutions they pick.
    const own = rng(seed ^ (n * 0x9e3779b1));
    if (scenario === 'downgraded') downgrade(build, inst, own);
    if (scenario === 'closed') close(build, inst, own);
    build.data.profiles.push(
      withDemoCapabilities(
        demoProfile(build, inst),
        n,
        build.book.districts,
        rng(seed ^ (n * 0x85ebca6b) ^ 0x33),
      ),
    );
    build.data.privates.push(demoPrivate(build, inst));
  }
  build.events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  build.data.events = build.events
    .filter((e) => e.occurredAt <= at(opts.today, 23))
    .map((e, n) => ({ ...e, id: String(n + 1), seq: n + 1 }));
  return build.data;
}

/** The institution's name, kind, district and credit code, unique within the register. */
function registerInstitution({ book, random, usedNames }: DemoBuild, n: number): DemoInstitution {
  const division = book.districts[n % book.districts.length] as (typeof book.districts)[number];
  const district = division.name;
  const kr = random();
  const kind: Kind = kr < 0.12 ? 'hospital' : kr < 0.37 ? 'outpatient' : 'clinic';
  const core = DEMO_NAME_CORES[Math.floor(random() * DEMO_NAME_CORES.length)] as string;
  let name = `${division.shortName}${core}${KIND_SUFFIX[kind]}（演示）`;
  for (let k = 2; usedNames.has(name); k++)
    name = `${division.shortName}${core}${KIND_SUFFIX[kind]}（演示${k}）`;
  usedNames.add(name);
  let org = '';
  for (let k = 0; k < 9; k++) org += USCC_CHARSET[Math.floor(random() * USCC_CHARSET.length)];
  return {
    n,
    uscc: makeUscc(`91${division.code}${org}`),
    name,
    core,
    kind,
    district,
    registeredOn: '',
    assessor:
      kind === 'clinic' ? `${district}${book.wording.districtInstituteSuffix}` : book.wording.cityInstitute,
    history: [],
    publicity: null,
    downgradedDue: null,
    closedOn: null,
  };
}

/** One or two published results, the latest placed for the scenario (review due soon, overdue, or not). */
function gradedHistory(build: DemoBuild, inst: DemoInstitution, scenario: Scenario) {
  const { opts, random } = build;
  const rules = rulesOn(opts.today, build.book);
  const score = randomScore(random, rules);
  const interval = rules.reviewIntervalYears[gradeForScore(score, rules)];
  let publishedOn: LocalDate;
  if (scenario === 'due_soon')
    publishedOn = addDays(addYears(opts.today, -interval), 5 + Math.floor(random() * 85));
  else if (scenario === 'overdue')
    publishedOn = addDays(addYears(opts.today, -interval), -Math.floor(1 + random() * 60));
  else publishedOn = addDays(opts.today, -Math.floor(100 + random() * (interval * 365 - 200)));
  const earlier = random() < 0.5 && publishedOn > addDays(inst.registeredOn, 400);
  if (earlier) {
    publish(
      build,
      inst,
      addDays(publishedOn, -Math.floor(365 + random() * 300)),
      randomScore(random, rules),
      'initial',
    );
  }
  publish(build, inst, publishedOn, score, earlier ? 'review' : 'initial');
}

/** A result published on `publishedOn`, with its history entry and its `published` event. */
function publish(
  build: DemoBuild,
  inst: DemoInstitution,
  publishedOn: LocalDate,
  score: number,
  reason: HistoryEntry['reason'],
) {
  const assessedOn = addDays(publishedOn, -30);
  const rules = rulesOn(assessedOn, build.book);
  const grade = gradeForScore(score, rules);
  const id = `r-${inst.uscc}-${inst.history.length + 1}`;
  const previous = inst.history[0];
  const due = nextReviewDue(publishedOn, grade, rules);
  inst.history.unshift({ resultId: id, grade, score, publishedOn, reason, revision: rules.id });
  build.data.results.push({
    ...resultOf(inst, id, score, grade, assessedOn, rules),
    status: 'published',
    reason,
    publicity: { startOn: addDays(publishedOn, -9), endOn: addDays(publishedOn, -3) },
    publishedOn,
    nextReviewDue: due,
    version: 6,
    updatedAt: at(publishedOn),
  });
  build.events.push({
    type: 'published',
    uscc: inst.uscc,
    district: inst.district,
    occurredAt: at(publishedOn, 15),
    before: previous ? { grade: previous.grade, score: previous.score } : { grade: null, score: null },
    after: { resultId: id, grade, score, publishedOn, nextReviewDue: due, reason },
  });
}

/** The parts every demo result shares, whatever its status. */
function resultOf(
  inst: DemoInstitution,
  id: string,
  score: number,
  grade: Grade,
  assessedOn: LocalDate,
  rules: RuleRevision,
) {
  return {
    id,
    uscc: inst.uscc,
    kind: inst.kind,
    district: inst.district,
    score,
    grade,
    breakdown: null,
    assessedOn,
    revision: rules.id,
    assessor: inst.assessor,
    delegatedTo: null,
    openObjections: 0,
    createdAt: at(assessedOn),
    createdBy: 'demo',
  };
}

/** A result in publicity now (started up to four days ago), unless the calendar does not reach that far. */
function inPublicity(build: DemoBuild, inst: DemoInstitution) {
  const { opts, random } = build;
  try {
    const rules = rulesOn(opts.today, build.book);
    const window = opts.calendar.publicityWindow(addDays(opts.today, -Math.floor(random() * 5)), rules);
    if (window.endOn < opts.today) return;
    const score = randomScore(random, rules);
    const grade = gradeForScore(score, rules);
    const id = `r-${inst.uscc}-${inst.history.length + 1}`;
    const assessedOn = addDays(window.startOn, -20);
    inst.publicity = {
      resultId: id,
      proposedGrade: grade,
      score,
      startOn: window.startOn,
      endOn: window.endOn,
    };
    build.data.results.push({
      ...resultOf(inst, id, score, grade, assessedOn, rules),
      status: 'in_publicity',
      reason: inst.history.length > 0 ? 'review' : 'initial',
      publicity: window,
      publishedOn: null,
      nextReviewDue: null,
      version: 4,
      updatedAt: at(window.startOn),
    });
    build.events.push({
      type: 'publicity_started',
      uscc: inst.uscc,
      district: inst.district,
      occurredAt: at(window.startOn, 9),
      before: null,
      after: { resultId: id, proposedGrade: grade, score, ...window },
    });
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err;
  }
}

const DEMO_VIOLATIONS: ReadonlyArray<{ type: ViolationType; severity: Severity; description: string }> = [
  { type: 'violation', severity: 'general', description: '超出执业登记范围开展医疗美容项目（演示）' },
  {
    type: 'violation',
    severity: 'serious',
    description: '使用未取得相应资格的人员从事医疗美容诊疗活动（演示）',
  },
  { type: 'accident', severity: 'severe', description: '发生医疗事故并造成严重后果（演示）' },
];

/**
 * A violation after the latest publication that downgraded an A, B or C institution by its severity, as
 * the regulators' violation record leaves it: the violation, the downgrade result, the history entry and
 * the `downgraded` event. A D institution (nothing lower) stays as it was.
 */
function downgrade(build: DemoBuild, inst: DemoInstitution, own: () => number) {
  const current = inst.history[0];
  const today = build.opts.today;
  if (!current || current.publishedOn >= addDays(today, -30)) return;
  const pick = DEMO_VIOLATIONS[Math.floor(own() * DEMO_VIOLATIONS.length)] ?? DEMO_VIOLATIONS[0];
  if (!pick) return;
  const span = Math.max(1, daysBetween(current.publishedOn, today) - 20);
  const occurredOn = addDays(current.publishedOn, 10 + Math.floor(own() * span));
  const recordedOn = addDays(occurredOn, 3);
  const rules = rulesOn(occurredOn, build.book);
  const gradeAfter = downgradeTarget(current.grade, pick.severity, rules);
  if (!gradeAfter) return;
  const priorDue = nextReviewDue(
    current.publishedOn,
    current.grade,
    rulesOn(addDays(current.publishedOn, -30)),
  );
  const id = `demo-${inst.uscc}-v1`;
  const violation: StoredViolation = {
    id,
    uscc: inst.uscc,
    ...pick,
    occurredOn,
    rectifiedOn: null,
    rectificationDeadline: null,
    effectiveCompliance: false,
    gradeBefore: current.grade,
    gradeAfter,
    ...dishonestyOf(
      entersDishonestyRecord(
        {
          grade: current.grade,
          severity: pick.severity,
          rectifiedOn: null,
          rectificationDeadline: null,
          effectiveCompliance: false,
        },
        rules,
      ),
    ),
    nextReviewDue: downgradedDueDate(priorDue, gradeAfter, recordedOn, rules),
    revision: rules.id,
    score: current.score,
    downgradeResultId: `dg-${id}`,
    recordedAt: at(recordedOn, 11),
    recordedOn,
    recordedBy: 'demo',
    recordedByActor: { subject: 'demo', role: 'city' },
  };
  build.data.violations.push(violation);
  inst.downgradedDue = violation.nextReviewDue;
  build.data.results.push({
    ...resultOf(inst, `dg-${id}`, current.score, gradeAfter, occurredOn, rules),
    status: 'published',
    reason: 'downgrade',
    assessor: null,
    publicity: null,
    publishedOn: recordedOn,
    nextReviewDue: violation.nextReviewDue,
    createdAt: violation.recordedAt,
    version: 1,
    updatedAt: violation.recordedAt,
  } as GradingResult);
  inst.history.unshift({
    resultId: `dg-${id}`,
    grade: gradeAfter,
    score: current.score,
    publishedOn: recordedOn,
    reason: 'downgrade',
    revision: rules.id,
  });
  build.events.push(downgradeEvent(violation, inst.district));
}

function dishonestyOf(d: { enters: boolean; reason: string }) {
  return { entersDishonestyRecord: d.enters, dishonestyReason: d.reason };
}

/** Closed some time after its latest publication (or its registration): marked closed, owing no reminders. */
function close(build: DemoBuild, inst: DemoInstitution, own: () => number) {
  const since = inst.history[0]?.publishedOn ?? inst.registeredOn;
  const span = Math.max(1, daysBetween(since, build.opts.today) - 1);
  inst.closedOn = addDays(since, 1 + Math.floor(own() * span));
  build.events.push({
    key: `institution_closed:${inst.uscc}`,
    type: 'institution_closed',
    uscc: inst.uscc,
    district: inst.district,
    occurredAt: at(inst.closedOn, 16),
    before: { closed: false },
    after: { closed: true, closedOn: inst.closedOn },
  });
}

function demoProfile(build: DemoBuild, inst: DemoInstitution): InstitutionProfile {
  const { opts, random, book } = build;
  const current = inst.history[0];
  const currentRules = current ? rulesOn(addDays(current.publishedOn, -30), book) : undefined;
  const due =
    inst.downgradedDue ?? (current ? nextReviewDue(current.publishedOn, current.grade, currentRules) : null);
  const streets = book.demo.streets;
  return {
    uscc: inst.uscc,
    name: inst.name,
    aliases: random() < 0.3 ? [`${inst.core}医美（演示）`] : [],
    kind: inst.kind,
    district: inst.district,
    address: `${book.city.name}${inst.district}${streets[Math.floor(random() * streets.length)]}${1 + Math.floor(random() * 800)}号（演示地址）`,
    grade: current?.grade ?? null,
    score: current?.score ?? null,
    publishedOn: current?.publishedOn ?? null,
    currentResultId: current?.resultId ?? null,
    nextReviewDue: due,
    reviewOverdue: due !== null && isReviewOverdue(due, opts.today),
    nextReminder:
      due !== null && inst.closedOn === null ? firstPendingReminder(due, opts.today, currentRules) : null,
    publicity: inst.publicity,
    history: inst.history,
    industryRating:
      inst.kind === 'hospital' && random() < 0.3
        ? {
            level: (['3A', '4A', '5A'] as const)[Math.floor(random() * 3)] ?? '5A',
            ratedOn: addDays(opts.today, -700),
            ratedBy: '中国整形美容协会',
            validUntil: null,
          }
        : null,
    closed: inst.closedOn !== null,
    closedOn: inst.closedOn,
    registeredOn: inst.registeredOn,
    version: 1,
    updatedAt: at(inst.registeredOn),
  };
}

function demoPrivate({ random }: DemoBuild, inst: DemoInstitution): InstitutionPrivate {
  // The grade as published (a downgrade is never from D): the same draws whichever institutions are downgraded.
  const d = inst.history.find((h) => h.reason !== 'downgrade')?.grade === 'D';
  return {
    uscc: inst.uscc,
    contacts: {
      phones: [`1390000${String(inst.n).padStart(4, '0')}`],
      wechatOpenIds: random() < 0.6 ? [`oDEMO${inst.uscc.slice(8)}${inst.n}`] : [],
    },
    services: {
      generalAnesthesia: d && random() < 0.5,
      liposuction: d && random() < 0.4,
      prepaidNonCompliant: d && random() < 0.2,
    },
    upgradeYears: [],
    upgradeBanUntil: null,
    offSiteSupervised: random() < 0.3,
    version: 1,
    updatedAt: at(inst.registeredOn),
  };
}

/**
 * The same deterministic key the workflow gives the event, so a regulator's retry of a step the demo data
 * already took finds the event and appends nothing.
 */
function demoEventKey(e: DemoEvent): string {
  if (e.key) return e.key;
  const resultId = (e.after as { resultId?: unknown } | null)?.resultId;
  if (e.type === 'institution_registered') return `institution_registered:${e.uscc}`;
  if (typeof resultId === 'string') return `${e.type}:${resultId}`;
  return `demo:${e.seq}`;
}

/** Writes the demo register with batch writes (the table is new, so nothing is overwritten). */
export async function loadDemoData(db: DynamoDBDocumentClient, table: string, data: DemoData): Promise<void> {
  await batchPut(db, table, demoItems(data));
}

/** The table items of the demo register, as `loadDemoData` writes them. */
export function demoItems(data: DemoData): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const rows = data.profiles.map(registerRowOf);
  // Each row marked as counted where it belongs, and the tally of them all: the state settling reaches.
  for (const [n, p] of data.profiles.entries()) {
    const row = rows[n] as RegisterRow;
    items.push(profileItem(p), { ...registerRowItem(row), counted: tallyKey(row), countedRev: 0 });
  }
  // Version 1 with no recent changes: a reader that started earlier reloads the rows.
  items.push({ ...keys.registerVersion, v: 1, recent: [] });
  items.push({ ...keys.registerTally, rev: 1, tally: tallyOf(rows), pending: [], v: 1 });
  for (const p of data.privates) items.push({ ...keys.private(p.uscc), ...p });
  for (const v of data.violations) items.push({ ...keys.violation(v.uscc, v.occurredOn, v.id), ...v });
  for (const r of data.results) {
    items.push({
      ...keys.result(r.id),
      ...resultIndexKeys(r),
      ...(r.status === 'in_publicity' && r.publicity
        ? publicityIndexKeys({ endOn: r.publicity.endOn, id: r.id })
        : {}),
      ...r,
    });
  }
  for (const e of data.events) {
    const key = demoEventKey(e);
    items.push(
      { ...keys.event(e.seq), ...e, key },
      { ...keys.eventClaim(key), seq: e.seq, claimedAt: e.occurredAt },
    );
  }
  return items;
}

export async function batchPut(
  db: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
  workers = 8,
) {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as Record<string, unknown>[];
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error('batch write kept leaving unprocessed items');
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}
