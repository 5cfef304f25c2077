import { gradeLabel as domainGradeLabel } from '../domain/grading.ts';
import { rulebook } from '../domain/rules.ts';
import { GRADES, type Grade } from '../domain/types.ts';
import type { NoticeKind } from './port.ts';

/**
 * Every notice text, in Chinese, in one place. A template reads only the params it needs and shows
 * "—" for one that is missing, so a notice is never lost over a missing value. There is deliberately
 * no template about random inspections (双随机抽查 are unannounced, DOMAIN.md).
 */

export type NoticeParams = Record<string, string | number | null>;

export interface RenderedNotice {
  /** Short heading (the local notice sink and page). */
  title: string;
  /** The full text: the SMS body. */
  text: string;
}

/** Signature the SMS gateway requires at the front of every domestic message (the rulebook's wording). */
export function smsSignature(): string {
  return rulebook().wording.smsSignature;
}

/** A grade as notices write it, from the rulebook's label: A级（示范机构）; null for anything else. */
export function noticeGradeLabel(v: string): string | null {
  if (!(GRADES as readonly string[]).includes(v)) return null;
  const label = domainGradeLabel(v as Grade);
  const rest = label.startsWith(`${v}级`) ? label.slice(v.length + 1) : label;
  return `${v}级（${rest}）`;
}

const present = (v: unknown) => v !== null && v !== undefined && v !== '';

/** The first of `keys` that has a value (callers name the same thing differently), or "—". */
function value(params: NoticeParams, ...keys: string[]): string {
  const key = keys.find((k) => present(params[k]));
  return key ? String(params[key]) : '—';
}

function grade(params: NoticeParams, ...keys: string[]): string {
  const v = params[keys.find((k) => present(params[k])) ?? ''];
  return (typeof v === 'string' && noticeGradeLabel(v)) || value(params, ...keys);
}

const SEVERITY_TEXT: Record<string, string> = {
  minor: '轻微',
  general: '一般',
  serious: '较重',
  severe: '严重',
};

/** Why a grade fell: the stated reason, else the severity of the violation (DOMAIN.md "Downgrade"). */
function downgradeCause(params: NoticeParams): string {
  if (present(params.reason)) return String(params.reason);
  const severity = SEVERITY_TEXT[String(params.severity ?? '')];
  return severity
    ? `发生${severity}违法违规、医疗事故或不良社会事件`
    : '发生违法违规、医疗事故或不良社会事件';
}

function who(params: NoticeParams): string {
  return typeof params.name === 'string' && params.name ? `${params.name}：` : '贵机构：';
}

const TEMPLATES: Record<NoticeKind, (p: NoticeParams) => RenderedNotice> = {
  review_due_90: (p) => ({
    title: '量化分级复评提醒（90天）',
    text: `${who(p)}您的量化分级动态复评将于${value(p, 'due')}到期（还有90天），请提前准备复评材料。`,
  }),
  review_due_30: (p) => ({
    title: '量化分级复评提醒（30天）',
    text: `${who(p)}您的量化分级动态复评将于${value(p, 'due')}到期（还有30天），请尽快向监督机构申请复评。`,
  }),
  review_due_7: (p) => ({
    title: '量化分级复评提醒（7天）',
    text: `${who(p)}您的量化分级动态复评将于${value(p, 'due')}到期（还有7天），逾期将在公开查询页面标注为逾期未复评。`,
  }),
  review_overdue: (p) => ({
    title: '量化分级复评已逾期',
    text: `${who(p)}您的量化分级动态复评已于${value(p, 'due')}到期，现已逾期，公开查询页面将标注“逾期未复评”，请立即联系监督机构安排复评。`,
  }),
  publicity_started: (p) => ({
    title: '量化分级结果公示',
    text: `${who(p)}您的量化分级评价结果（${value(p, 'score')}分，拟定${grade(p, 'proposedGrade', 'grade')}）自${value(p, 'startOn')}起公示至${value(p, 'endOn')}，公示期内如有异议可依规提出。`,
  }),
  publicity_ended: (p) => ({
    title: '量化分级结果公示期满',
    text: `市量化分级工作指导组：${value(p, 'name')}（${value(p, 'uscc')}）的评价结果（${value(p, 'score')}分，拟定${grade(p, 'proposedGrade')}）公示已于${value(p, 'endOn')}期满，请审核确认后公布。`,
  }),
  result_published: (p) => ({
    title: '量化分级结果公布',
    text: `${who(p)}您的量化分级结果已公布：${grade(p, 'grade')}，${value(p, 'score')}分，下次动态复评截止日期为${value(p, 'nextReviewDue')}。`,
  }),
  downgraded: (p) => ({
    title: '量化分级降级通知',
    text: `${who(p)}因${downgradeCause(p)}，您的量化分级等级${present(p.gradeBefore) ? `由${grade(p, 'gradeBefore')}` : ''}调整为${grade(p, 'grade')}，即时生效，下次动态复评截止日期为${value(p, 'nextReviewDue')}。`,
  }),
  upgrade_window: (p) => ({
    title: '主动升级申请开放',
    text: `${who(p)}${value(p, 'year')}年度主动升级申请已开放，B级、C级机构每年可申请一次，请提交自评报告。`,
  }),
  upgrade_accepted: (p) => ({
    title: '主动升级申请结果',
    text: `${who(p)}您${present(p.year) ? `${p.year}年度` : ''}的主动升级申请已受理，将按新的评分确定等级（可能维持或下调），结果经公示、确认后公布。`,
  }),
  upgrade_refused: (p) => ({
    title: '主动升级申请结果',
    text: `${who(p)}您的主动升级申请未获通过：${value(p, 'reason')}。`,
  }),
  upgrade_banned: (p) => ({
    title: '主动升级申请限制',
    text: `${who(p)}经查实自评不实、隐瞒或欺骗，${value(p, 'until', 'banUntil')}前不得申请主动升级。`,
  }),
};

/** The title and text of a notice. */
export function renderNotice(kind: NoticeKind, params: NoticeParams): RenderedNotice {
  return TEMPLATES[kind](params);
}
