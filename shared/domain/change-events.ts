import { gradeLabel } from './grading.ts';
import type { ChangeEvent } from './model.ts';
import { LEVEL_LABELS, type SurgeryLevel } from './practice-scope.ts';
import { type ChangeType, GRADES, type Grade } from './types.ts';

/** How the change feed speaks about its events to the public (pure; no I/O). */

export const CHANGE_TYPE_LABELS: Record<ChangeType, string> = {
  publicity_started: '量化分级结果开始公示',
  published: '量化分级结果公布',
  downgraded: '等级下调',
  objection_upheld: '公示异议成立',
  withdrawn: '分级结果撤回',
  institution_registered: '机构纳入量化分级管理',
  institution_closed: '机构注销或停业',
  licence_changed: '执业许可科目或手术级别变更',
};

/**
 * Fields that never leave the service, whatever a producer put into `before`/`after`: contact
 * details, high-risk services (the watch list's inputs), inspections (DOMAIN.md "Who uses it").
 */
const NEVER_PUBLIC = new Set([
  'contacts',
  'phones',
  'phone',
  'wechatOpenIds',
  'services',
  'generalAnesthesia',
  'liposuction',
  'prepaidNonCompliant',
  'watchList',
  'watchlist',
  'inspection',
  'inspections',
  'inspectionPlan',
  'drawn',
  'upgradeBanUntil',
  'offSiteSupervised',
]);

function publicState(state: Record<string, unknown> | null): Record<string, unknown> | null {
  // Stryker disable next-line ConditionalExpression: state is an object or null by its type; null is what matters
  if (state === null || typeof state !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) if (!NEVER_PUBLIC.has(k)) out[k] = v;
  return out;
}

/** A change event as the feeds publish it. */
export interface PublicChangeEvent {
  id: string;
  type: ChangeType;
  typeLabel: string;
  uscc: string;
  district: string;
  occurredAt: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export function publicChangeEvent(e: ChangeEvent): PublicChangeEvent {
  return {
    id: e.id,
    type: e.type,
    typeLabel: CHANGE_TYPE_LABELS[e.type] ?? e.type,
    uscc: e.uscc,
    district: e.district,
    occurredAt: e.occurredAt,
    before: publicState(e.before),
    after: publicState(e.after),
  };
}

/** The filter of a feed reader: no types means every type. */
export interface ChangeFilter {
  types: readonly ChangeType[];
  district: string | null;
}

export function matchesFilter(e: Pick<ChangeEvent, 'type' | 'district'>, f: ChangeFilter): boolean {
  return (
    (f.types.length === 0 || f.types.includes(e.type)) && (f.district === null || e.district === f.district)
  );
}

const isGrade = (v: unknown): v is Grade =>
  // Stryker disable next-line ConditionalExpression: includes() is false for a non-string anyway
  typeof v === 'string' && (GRADES as readonly string[]).includes(v);

function gradeText(v: unknown): string | null {
  return isGrade(v) ? gradeLabel(v) : null;
}

/** One plain-Chinese sentence about an event, for feed readers and notices. */
export function describeChange(e: PublicChangeEvent, name?: string): string {
  const who = name ?? `统一社会信用代码 ${e.uscc} 的机构`;
  const a = e.after ?? {};
  const b = e.before ?? {};
  const score = typeof a.score === 'number' ? `，得分 ${a.score}` : '';
  switch (e.type) {
    case 'publicity_started': {
      const g = gradeText(a.proposedGrade ?? a.grade);
      const window = a.startOn && a.endOn ? `，公示期 ${a.startOn} 至 ${a.endOn}` : '';
      return `${who}（${e.district}）的量化分级结果开始公示${g ? `，拟评为${g}` : ''}${score}${window}。公示期内任何单位和个人均可提出异议。`;
    }
    case 'published': {
      const g = gradeText(a.grade);
      const prev = gradeText(b.grade);
      return `${who}（${e.district}）的量化分级结果正式公布${g ? `：${g}` : ''}${score}${prev ? `（原为${prev}）` : ''}。`;
    }
    case 'downgraded': {
      const g = gradeText(a.grade);
      const prev = gradeText(b.grade);
      return `${who}（${e.district}）因违法违规、医疗事故或不良社会事件被降级${prev ? `，由${prev}` : ''}${g ? `降为${g}` : ''}。`;
    }
    case 'objection_upheld':
      return `${who}（${e.district}）公示中的量化分级结果经核查异议成立，该结果不予公布。`;
    case 'withdrawn':
      return `${who}（${e.district}）的量化分级结果已撤回。`;
    case 'institution_registered':
      return `${who}（${e.district}）纳入美容医疗机构量化分级管理。`;
    case 'institution_closed':
      return `${who}（${e.district}）已注销或停业，不再参加量化分级。`;
    case 'licence_changed': {
      const subjects = Array.isArray(a.subjects) ? a.subjects.join('、') : '';
      const level =
        typeof a.surgeryLevel === 'number'
          ? `，美容外科手术最高${LEVEL_LABELS[a.surgeryLevel as SurgeryLevel] ?? ''}`
          : '';
      return `${who}（${e.district}）的执业许可信息变更${subjects ? `：核准科目${subjects}` : ''}${level}。`;
    }
    default:
      return `${who}（${e.district}）：${e.typeLabel}。`;
  }
}
