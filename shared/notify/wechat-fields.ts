import type { NoticeKind } from './port.ts';
import type { NoticeParams } from './templates.ts';

/**
 * WeChat template messages as the platform shows them since its 2023 rules: only the typed keyword
 * fields are displayed (no `first`, no `remark`, no colours; emoji show as □). Every notice kind fills
 * the one registered template "量化分级信用提醒" (docs/notices.md):
 *
 *   thing1 事项 · thing2 机构名称 · time3 时间 · phrase4 状态 · thing5 办理要求
 *
 * so the displayed fields alone say what is due, for which institution, by when, and what to do.
 */

export type WeChatFieldType = 'thing' | 'time' | 'character_string' | 'phrase';

/** The registered template's fields, in display order. */
export const WECHAT_TEMPLATE_FIELDS = [
  { key: 'thing1', type: 'thing', label: '事项' },
  { key: 'thing2', type: 'thing', label: '机构名称' },
  { key: 'time3', type: 'time', label: '时间' },
  { key: 'phrase4', type: 'phrase', label: '状态' },
  { key: 'thing5', type: 'thing', label: '办理要求' },
] as const satisfies ReadonlyArray<{ key: string; type: WeChatFieldType; label: string }>;

export type WeChatFieldKey = (typeof WECHAT_TEMPLATE_FIELDS)[number]['key'];

/** Length limits of the field types (characters, as WeChat counts them: one per code point). */
export const FIELD_LIMITS = { thing: 20, character_string: 32, phrase: 5 } as const;

const chars = (s: string) => Array.from(s);

/** Whether `value` is acceptable for a field of `type` (WeChat answers 47003 otherwise). */
export function fieldValueValid(type: WeChatFieldType, value: string): boolean {
  if (value.length === 0 || /[\p{Cc}\p{Extended_Pictographic}]/u.test(value)) return false;
  switch (type) {
    case 'thing':
      return chars(value).length <= FIELD_LIMITS.thing;
    case 'character_string':
      return /^[\x21-\x7e]+$/.test(value) && value.length <= FIELD_LIMITS.character_string;
    case 'phrase':
      return /^\p{Script=Han}+$/u.test(value) && chars(value).length <= FIELD_LIMITS.phrase;
    case 'time':
      return /^\d{4}年\d{1,2}月\d{1,2}日 ([01]\d|2[0-3]):[0-5]\d$/.test(value);
  }
}

/** Company-form suffixes a name can lose first: the distinctive part of the name stays whole. */
const NAME_SUFFIXES = ['股份有限公司', '有限责任公司', '有限公司'];

/**
 * Fits free text into a `thing` field. The rule: drop control characters and emoji (shown as □);
 * if it is still too long, drop a company-form suffix; if still too long, keep the first 19
 * characters — backing off to the start of a Latin word or number so none is split — and end with
 * "…", so a shortened value is visibly shortened.
 */
export function fitThing(text: string, max: number = FIELD_LIMITS.thing): string {
  let s = text
    .replace(/\p{Cc}|\p{Extended_Pictographic}|\u{FE0F}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!s) return '—';
  if (chars(s).length <= max) return s;
  for (const suffix of NAME_SUFFIXES) {
    if (s.endsWith(suffix) && chars(s).length - suffix.length >= 2) {
      s = s.slice(0, -suffix.length);
      break;
    }
  }
  if (chars(s).length <= max) return s;
  const cs = chars(s);
  let cut = max - 1;
  const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9.]/.test(c);
  if (alnum(cs[cut - 1]) && alnum(cs[cut])) {
    let back = cut - 1;
    while (back > 0 && alnum(cs[back - 1])) back--;
    if (back > 0) cut = back;
  }
  return `${cs
    .slice(0, cut)
    .join('')
    .replace(/[\s，,、：:；;（(]+$/u, '')}…`;
}

/** A local date (YYYY-MM-DD) as a WeChat `time` value at `hhmm`; null for anything else. */
export function wechatTime(date: unknown, hhmm: string): string | null {
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日 ${hhmm}` : null;
}

/** Deadlines fall at the end of their day; a day on which something happened shows its start. */
const DEADLINE = '23:59';
const EVENT_DAY = '00:00';

const present = (v: unknown) => v !== null && v !== undefined && v !== '';
const str = (p: NoticeParams, key: string) => (present(p[key]) ? String(p[key]) : '');
const gradeOf = (p: NoticeParams, ...keys: string[]) => {
  const v = keys.map((k) => str(p, k)).find(Boolean) ?? '';
  return /^[ABCD]$/.test(v) ? `${v}级` : v;
};
const scoreOf = (p: NoticeParams) => (present(p.score) ? `${p.score}分` : '');

const SEVERITY: Record<string, string> = { minor: '轻微', general: '一般', serious: '较重', severe: '严重' };

interface KindFields {
  /** thing1: what is due or what happened. */
  what: (p: NoticeParams) => string;
  /** time3: by when (a deadline), else the day it happened. */
  when: (p: NoticeParams, on: string) => string | null;
  /** phrase4: the state in ≤ 5 Chinese characters. */
  state: string;
  /** thing5: what to do. */
  todo: (p: NoticeParams) => string;
}

const deadline = (key: string) => (p: NoticeParams) => wechatTime(p[key], DEADLINE);
const eventDay = (_p: NoticeParams, on: string) => wechatTime(on, EVENT_DAY);

export const WECHAT_KIND_FIELDS: Record<NoticeKind, KindFields> = {
  review_due_90: {
    what: () => '量化分级复评90天后到期',
    when: deadline('due'),
    state: '待复评',
    todo: () => '请于截止前准备复评材料',
  },
  review_due_30: {
    what: () => '量化分级复评30天后到期',
    when: deadline('due'),
    state: '待复评',
    todo: () => '请于截止前向监督机构申请复评',
  },
  review_due_7: {
    what: () => '量化分级复评7天后到期',
    when: deadline('due'),
    state: '即将逾期',
    todo: () => '请立即申请复评，逾期将公开标注',
  },
  review_overdue: {
    what: () => '量化分级复评已逾期',
    when: deadline('due'),
    state: '已逾期',
    todo: () => '请立即联系监督机构安排复评',
  },
  publicity_started: {
    what: (p) => `评价结果公示：拟定${gradeOf(p, 'proposedGrade', 'grade')}${scoreOf(p)}`,
    when: deadline('endOn'),
    state: '公示中',
    todo: () => '如有异议请于公示期满前提出',
  },
  publicity_ended: {
    what: (p) => `结果公示期满：拟定${gradeOf(p, 'proposedGrade', 'grade')}${scoreOf(p)}`,
    when: deadline('endOn'),
    state: '待确认',
    todo: () => '请审核确认后公布结果',
  },
  result_published: {
    what: (p) => `分级结果已公布：${gradeOf(p, 'grade')}${scoreOf(p)}`,
    when: deadline('nextReviewDue'),
    state: '已公布',
    todo: () => '请于截止前完成下次动态复评',
  },
  downgraded: {
    what: (p) => {
      const severity = SEVERITY[str(p, 'severity')];
      const to = gradeOf(p, 'grade');
      return severity ? `因${severity}违规降为${to}` : `分级等级调整为${to}`;
    },
    when: deadline('nextReviewDue'),
    state: '已降级',
    todo: () => '即时生效，请于截止前完成复评',
  },
  upgrade_window: {
    what: (p) => `${str(p, 'year')}年度主动升级申请开放`,
    // Once per calendar year (DOMAIN.md "Upgrade"): the window closes with the year.
    when: (p) => wechatTime(/^\d{4}$/.test(str(p, 'year')) ? `${p.year}-12-31` : null, DEADLINE),
    state: '可申请',
    todo: () => 'B级、C级机构可提交自评报告',
  },
  upgrade_accepted: {
    what: () => '主动升级申请已受理',
    when: eventDay,
    state: '已受理',
    todo: () => '按新评分定级，经公示确认后公布',
  },
  upgrade_refused: {
    what: () => '主动升级申请未获通过',
    when: eventDay,
    state: '未通过',
    todo: (p) => (present(p.reason) ? `原因：${p.reason}` : '详情请联系监督机构'),
  },
  upgrade_banned: {
    what: () => '自评不实，暂停主动升级申请',
    when: deadline('banUntil'),
    state: '暂停申请',
    todo: () => '截止前不得申请主动升级',
  },
};

/**
 * The `data` of the template message for a notice: displayed fields only, each fitted to its type.
 * A missing date shows the notice day (never an invalid `time`, which WeChat would refuse for good).
 */
export function wechatFields(notice: {
  kind: NoticeKind;
  params: NoticeParams;
  on: string;
  uscc: string;
}): Record<WeChatFieldKey, { value: string }> {
  const spec = WECHAT_KIND_FIELDS[notice.kind];
  const p = notice.params;
  const name = str(p, 'name') || notice.uscc;
  return {
    thing1: { value: fitThing(spec.what(p)) },
    thing2: { value: fitThing(name) },
    time3: {
      value: spec.when(p, notice.on) ?? wechatTime(notice.on, EVENT_DAY) ?? '1970年1月1日 00:00',
    },
    phrase4: { value: spec.state },
    thing5: { value: fitThing(spec.todo(p)) },
  };
}
