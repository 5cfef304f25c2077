import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import { addDays, addYears, shanghaiIso } from '../domain/dates.ts';
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
import { GRADES, type Kind, type LocalDate } from '../domain/types.ts';
import { makeUscc, USCC_CHARSET } from '../domain/uscc.ts';
import { profileItem } from '../store/institution-writer.ts';
import { keys, publicityIndexKeys, resultIndexKeys } from '../store/keys.ts';
import { registerRowItem } from '../store/register-rows.ts';

/**
 * Fictitious demonstration data: every name carries "（演示）" so none can be taken for a real
 * business. Deterministic for a given `today` and count.
 */

const CORES = [
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

export interface DemoData {
  profiles: InstitutionProfile[];
  privates: InstitutionPrivate[];
  results: GradingResult[];
  events: ChangeEvent[];
}

type Scenario = 'ungraded' | 'first_publicity' | 'review_publicity' | 'due_soon' | 'overdue' | 'graded';

function scenarioFor(r: number): Scenario {
  if (r < 0.08) return 'ungraded';
  if (r < 0.13) return 'first_publicity';
  if (r < 0.18) return 'review_publicity';
  if (r < 0.28) return 'due_soon';
  if (r < 0.34) return 'overdue';
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

/** Builds the demo register in memory (pure). */
export function buildDemoData(opts: DemoOptions): DemoData {
  const random = rng(opts.seed ?? 20261123);
  const data: DemoData = { profiles: [], privates: [], results: [], events: [] };
  const usedNames = new Set<string>();
  const pendingEvents: Array<Omit<ChangeEvent, 'id' | 'seq'>> = [];
  const at = (date: LocalDate, hour = 10) =>
    shanghaiIso(new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`));

  const book = rulebook();
  const streets = book.demo.streets;
  const rulesFor = (date: LocalDate) => rulesOn(date, book);
  for (let i = 0; i < opts.count; i++) {
    const division = book.districts[i % book.districts.length] as (typeof book.districts)[number];
    const district = division.name;
    const kr = random();
    const kind: Kind = kr < 0.12 ? 'hospital' : kr < 0.37 ? 'outpatient' : 'clinic';
    const core = CORES[Math.floor(random() * CORES.length)] as string;
    let name = `${division.shortName}${core}${KIND_SUFFIX[kind]}（演示）`;
    for (let n = 2; usedNames.has(name); n++)
      name = `${division.shortName}${core}${KIND_SUFFIX[kind]}（演示${n}）`;
    usedNames.add(name);
    let org = '';
    for (let k = 0; k < 9; k++) org += USCC_CHARSET[Math.floor(random() * USCC_CHARSET.length)];
    const uscc = makeUscc(`91${division.code}${org}`);
    const scenario = scenarioFor(random());
    const registeredOn = addDays(opts.today, -Math.floor(400 + random() * 2400));

    const history: HistoryEntry[] = [];
    let publicity: PublicityInfo | null = null;
    pendingEvents.push({
      type: 'institution_registered',
      uscc,
      district,
      occurredAt: at(registeredOn, 9),
      before: null,
      after: { name, kind, district },
    });

    const assessor =
      kind === 'clinic' ? `${district}${book.wording.districtInstituteSuffix}` : book.wording.cityInstitute;
    const publish = (publishedOn: LocalDate, score: number, reason: HistoryEntry['reason']) => {
      const assessedOn = addDays(publishedOn, -30);
      const rules = rulesFor(assessedOn);
      const grade = gradeForScore(score, rules);
      const id = `r-${uscc}-${history.length + 1}`;
      const previous = history[0];
      history.unshift({ resultId: id, grade, score, publishedOn, reason, revision: rules.id });
      data.results.push({
        id,
        uscc,
        kind,
        district,
        status: 'published',
        score,
        grade,
        breakdown: null,
        reason,
        assessedOn,
        revision: rules.id,
        assessor,
        delegatedTo: null,
        publicity: { startOn: addDays(publishedOn, -9), endOn: addDays(publishedOn, -3) },
        openObjections: 0,
        publishedOn,
        nextReviewDue: nextReviewDue(publishedOn, grade, rules),
        createdAt: at(assessedOn),
        createdBy: 'demo',
        version: 6,
        updatedAt: at(publishedOn),
      });
      pendingEvents.push({
        type: 'published',
        uscc,
        district,
        occurredAt: at(publishedOn, 15),
        before: previous ? { grade: previous.grade, score: previous.score } : { grade: null, score: null },
        after: {
          resultId: id,
          grade,
          score,
          publishedOn,
          nextReviewDue: nextReviewDue(publishedOn, grade, rules),
          reason,
        },
      });
    };

    if (scenario !== 'ungraded' && scenario !== 'first_publicity') {
      const rules = rulesFor(opts.today);
      const score = randomScore(random, rules);
      const grade = gradeForScore(score, rules);
      const interval = rules.reviewIntervalYears[grade];
      let publishedOn: LocalDate;
      if (scenario === 'due_soon')
        publishedOn = addDays(addYears(opts.today, -interval), 5 + Math.floor(random() * 85));
      else if (scenario === 'overdue')
        publishedOn = addDays(addYears(opts.today, -interval), -Math.floor(1 + random() * 60));
      else publishedOn = addDays(opts.today, -Math.floor(100 + random() * (interval * 365 - 200)));
      const earlier = random() < 0.5 && publishedOn > addDays(registeredOn, 400);
      if (earlier)
        publish(
          addDays(publishedOn, -Math.floor(365 + random() * 300)),
          randomScore(random, rules),
          'initial',
        );
      publish(publishedOn, score, earlier ? 'review' : 'initial');
    }

    if (scenario === 'first_publicity' || scenario === 'review_publicity') {
      try {
        const rules = rulesFor(opts.today);
        const window = opts.calendar.publicityWindow(addDays(opts.today, -Math.floor(random() * 5)), rules);
        if (window.endOn >= opts.today) {
          const score = randomScore(random, rules);
          const grade = gradeForScore(score, rules);
          const id = `r-${uscc}-${history.length + 1}`;
          publicity = {
            resultId: id,
            proposedGrade: grade,
            score,
            startOn: window.startOn,
            endOn: window.endOn,
          };
          data.results.push({
            id,
            uscc,
            kind,
            district,
            status: 'in_publicity',
            score,
            grade,
            breakdown: null,
            reason: history.length > 0 ? 'review' : 'initial',
            assessedOn: addDays(window.startOn, -20),
            revision: rules.id,
            assessor,
            delegatedTo: null,
            publicity: window,
            openObjections: 0,
            publishedOn: null,
            nextReviewDue: null,
            createdAt: at(addDays(window.startOn, -20)),
            createdBy: 'demo',
            version: 4,
            updatedAt: at(window.startOn),
          });
          pendingEvents.push({
            type: 'publicity_started',
            uscc,
            district,
            occurredAt: at(window.startOn, 9),
            before: null,
            after: { resultId: id, proposedGrade: grade, score, ...window },
          });
        }
      } catch (err) {
        if (!(err instanceof CalendarNotCoveredError)) throw err;
      }
    }

    const current = history[0];
    const currentRules = current ? rulesFor(addDays(current.publishedOn, -30)) : undefined;
    const due = current ? nextReviewDue(current.publishedOn, current.grade, currentRules) : null;
    data.profiles.push({
      uscc,
      name,
      aliases: random() < 0.3 ? [`${core}医美（演示）`] : [],
      kind,
      district,
      address: `${book.city.name}${district}${streets[Math.floor(random() * streets.length)]}${1 + Math.floor(random() * 800)}号（演示地址）`,
      grade: current?.grade ?? null,
      score: current?.score ?? null,
      publishedOn: current?.publishedOn ?? null,
      currentResultId: current?.resultId ?? null,
      nextReviewDue: due,
      reviewOverdue: due !== null && isReviewOverdue(due, opts.today),
      nextReminder: due !== null ? firstPendingReminder(due, opts.today, currentRules) : null,
      publicity,
      history,
      industryRating:
        kind === 'hospital' && random() < 0.3
          ? {
              level: (['3A', '4A', '5A'] as const)[Math.floor(random() * 3)] ?? '5A',
              ratedOn: addDays(opts.today, -700),
              ratedBy: '中国整形美容协会',
              validUntil: null,
            }
          : null,
      closed: false,
      closedOn: null,
      registeredOn,
      version: 1,
      updatedAt: at(registeredOn),
    });
    const d = current?.grade === 'D';
    data.privates.push({
      uscc,
      contacts: {
        phones: [`1390000${String(i).padStart(4, '0')}`],
        wechatOpenIds: random() < 0.6 ? [`oDEMO${uscc.slice(8)}${i}`] : [],
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
      updatedAt: at(registeredOn),
    });
  }

  pendingEvents.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  data.events = pendingEvents
    .filter((e) => e.occurredAt <= at(opts.today, 23))
    .map((e, n) => ({ ...e, id: String(n + 1), seq: n + 1 }));
  return data;
}

/**
 * The same deterministic key the workflow gives the event, so a regulator's retry of a step the demo data
 * already took finds the event and appends nothing.
 */
function demoEventKey(e: ChangeEvent): string {
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
