// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${var} is the SMS gateways' own placeholder syntax, registered as is.
import type { NoticeKind } from './port.ts';
import { GRADE_LABELS, type NoticeParams, SMS_SIGNATURE } from './templates.ts';
import { fitThing } from './wechat-fields.ts';

/**
 * SMS notices as registered templates with named variables, as domestic gateways (Aliyun, Tencent
 * Cloud) require: the template text is registered once under the signature, a send passes only the
 * template code and the variables. The SNS path sends the same template rendered to text.
 *
 * Every variable has a maximum length and is fitted to it (fitThing: company form dropped first, then
 * cut visibly with "…", never mid-word), so a rendered SMS — signature included — stays within
 * SMS_MAX_CHARS, two billed segments.
 *
 * Billing (Aliyun and Tencent Cloud alike, signature included, every character counting one): up to
 * 70 characters is one message; a longer one is split into parts of 67 (the rest of each part carries
 * the concatenation header), each billed as one.
 */

export const SMS_SEGMENT_CHARS = 70;
export const SMS_LONG_PART_CHARS = 67;
export const SMS_MAX_CHARS = 2 * SMS_LONG_PART_CHARS;

/** The variables and their maximum lengths (characters). */
export const SMS_VARIABLES = {
  name: 20,
  uscc: 18,
  due: 10,
  endOn: 10,
  nextReviewDue: 10,
  until: 10,
  score: 5,
  grade: 9,
  year: 4,
  cause: 16,
  reason: 20,
} as const;
export type SmsVariable = keyof typeof SMS_VARIABLES;

export interface SmsTemplate {
  /** The template code registered with the gateway (docs/notices.md). */
  code: string;
  /** The registered text; `${var}` marks a variable. */
  text: string;
}

export const SMS_TEMPLATES: Record<NoticeKind, SmsTemplate> = {
  review_due_90: {
    code: 'YM_REVIEW_DUE_90',
    text: '${name}：您的量化分级动态复评将于${due}到期（还有90天），请提前准备复评材料。',
  },
  review_due_30: {
    code: 'YM_REVIEW_DUE_30',
    text: '${name}：您的量化分级动态复评将于${due}到期（还有30天），请尽快向监督机构申请复评。',
  },
  review_due_7: {
    code: 'YM_REVIEW_DUE_7',
    text: '${name}：您的量化分级动态复评将于${due}到期（还有7天），逾期将在公开查询页面标注为逾期未复评。',
  },
  review_overdue: {
    code: 'YM_REVIEW_OVERDUE',
    text: '${name}：您的量化分级动态复评已于${due}到期，现已逾期，公开查询页面将标注“逾期未复评”，请立即联系监督机构安排复评。',
  },
  publicity_started: {
    code: 'YM_PUBLICITY_STARTED',
    text: '${name}：您的量化分级评价结果（${score}分，拟定${grade}）正在公示，公示至${endOn}，如有异议请在公示期内提出。',
  },
  publicity_ended: {
    code: 'YM_PUBLICITY_ENDED',
    text: '市量化分级工作指导组：${name}（${uscc}）的评价结果（${score}分，拟定${grade}）公示已于${endOn}期满，请审核确认后公布。',
  },
  result_published: {
    code: 'YM_RESULT_PUBLISHED',
    text: '${name}：您的量化分级结果已公布：${grade}，${score}分，下次动态复评截止日期为${nextReviewDue}。',
  },
  downgraded: {
    code: 'YM_DOWNGRADED',
    text: '${name}：因${cause}，您的量化分级等级调整为${grade}，即时生效，下次动态复评截止日期为${nextReviewDue}。',
  },
  upgrade_window: {
    code: 'YM_UPGRADE_WINDOW',
    text: '${name}：${year}年度主动升级申请已开放，B级、C级机构每年可申请一次，请于${year}年底前提交自评报告。',
  },
  upgrade_accepted: {
    code: 'YM_UPGRADE_ACCEPTED',
    text: '${name}：您${year}年度的主动升级申请已受理，将按新的评分确定等级（可能维持或下调），结果经公示、确认后公布。',
  },
  upgrade_refused: {
    code: 'YM_UPGRADE_REFUSED',
    text: '${name}：您${year}年度的主动升级申请未获通过，原因：${reason}。',
  },
  upgrade_banned: {
    code: 'YM_UPGRADE_BANNED',
    text: '${name}：经查实自评不实、隐瞒或欺骗，${until}前不得申请主动升级。',
  },
};

const SEVERITY: Record<string, string> = { minor: '轻微', general: '一般', serious: '较重', severe: '严重' };
const present = (v: unknown) => v !== null && v !== undefined && v !== '';
const first = (p: NoticeParams, ...keys: string[]) => {
  const k = keys.find((key) => present(p[key]));
  return k ? String(p[k]) : '';
};
const gradeLabel = (v: string) => GRADE_LABELS[v] ?? v;

/** The variables of a notice, each fitted to its maximum length ("—" when unknown). */
export function smsVariables(params: NoticeParams, uscc: string): Record<SmsVariable, string> {
  const raw: Record<SmsVariable, string> = {
    name: first(params, 'name') || '贵机构',
    uscc: first(params, 'uscc') || uscc,
    due: first(params, 'due'),
    endOn: first(params, 'endOn'),
    nextReviewDue: first(params, 'nextReviewDue'),
    until: first(params, 'until', 'banUntil'),
    score: first(params, 'score'),
    grade: gradeLabel(first(params, 'proposedGrade', 'grade')),
    year: first(params, 'year'),
    cause: present(params.reason)
      ? String(params.reason)
      : `${SEVERITY[first(params, 'severity')] ?? ''}违法违规或不良事件`,
    reason: first(params, 'reason'),
  };
  const out = {} as Record<SmsVariable, string>;
  for (const key of Object.keys(SMS_VARIABLES) as SmsVariable[])
    out[key] = fitThing(raw[key], SMS_VARIABLES[key]);
  return out;
}

/** The variable names a template uses. */
export function templateVariables(text: string): SmsVariable[] {
  return [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as SmsVariable);
}

/** The templates of every kind, keyed by kind. */
export type SmsTemplateSet = Readonly<Record<NoticeKind, SmsTemplate>>;

/**
 * The templates under the codes the gateway gave them when they were registered (SMS_TEMPLATE_CODES,
 * e.g. `SMS_154950909`); a kind not listed keeps its default code. Texts never change here: they are
 * what was registered.
 */
export function smsTemplateSet(codes: Partial<Record<NoticeKind, string>> = {}): SmsTemplateSet {
  const set = Object.fromEntries(
    Object.entries(SMS_TEMPLATES).map(([kind, t]) => [
      kind,
      { ...t, code: codes[kind as NoticeKind] ?? t.code },
    ]),
  ) as Record<NoticeKind, SmsTemplate>;
  const seen = new Set<string>();
  for (const t of Object.values(set)) {
    if (seen.has(t.code)) throw new Error(`invalid configuration: SMS template code ${t.code} is used twice`);
    seen.add(t.code);
  }
  return set;
}

const fill = (text: string, params: Readonly<Record<string, string>>) =>
  text.replace(/\$\{(\w+)\}/g, (_, v: string) => params[v] ?? '—');

/**
 * What the phone shows for a template code and its variables: the signature and the template's text
 * filled in (the SNS path sends this). Null for a code that is not in the set.
 */
export function renderSmsText(
  templates: SmsTemplateSet,
  templateCode: string,
  params: Readonly<Record<string, string>>,
): string | null {
  const template = Object.values(templates).find((t) => t.code === templateCode);
  return template ? `${SMS_SIGNATURE}${fill(template.text, params)}` : null;
}

export interface RenderedSms {
  templateCode: string;
  /** Only the variables the template uses: what a domestic gateway receives. */
  params: Record<string, string>;
  /** Signature plus the rendered template: what SNS sends and the phone shows. */
  text: string;
}

export function renderSms(
  kind: NoticeKind,
  params: NoticeParams,
  uscc: string,
  templates: SmsTemplateSet = SMS_TEMPLATES,
): RenderedSms {
  const template = templates[kind];
  const vars = smsVariables(params, uscc);
  const used = Object.fromEntries(templateVariables(template.text).map((v) => [v, vars[v]]));
  return { templateCode: template.code, params: used, text: `${SMS_SIGNATURE}${fill(template.text, used)}` };
}

/** Billed segments of a text: one up to 70 characters, else one per 67-character part. */
export function smsSegments(text: string): number {
  const n = Array.from(text).length;
  return n <= SMS_SEGMENT_CHARS ? 1 : Math.ceil(n / SMS_LONG_PART_CHARS);
}
