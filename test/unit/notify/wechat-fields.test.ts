import { describe, expect, it } from 'vitest';
import { NOTICE_KINDS, type NoticeKind } from '#shared/notify/port.ts';
import type { NoticeParams } from '#shared/notify/templates.ts';
import { institutionPage } from '#shared/notify/wechat.ts';
import {
  fieldValueValid,
  fitThing,
  WECHAT_TEMPLATE_FIELDS,
  wechatFields,
} from '#shared/notify/wechat-fields.ts';

const USCC = '91330106MA2CFXKQ1P';
const LONG_NAME = '杭州西湖区悦颜医疗美容门诊部（普通合伙）滨江分部有限责任公司';

/** Params as the workflow and jobs send them, per kind; what the displayed fields must say, and the date. */
const CASES: Record<NoticeKind, { params: NoticeParams; what: RegExp; date: string }> = {
  review_due_90: { params: { due: '2027-01-10' }, what: /复评.*90天/, date: '2027年1月10日 23:59' },
  review_due_30: { params: { due: '2027-01-10' }, what: /复评.*30天/, date: '2027年1月10日 23:59' },
  review_due_7: { params: { due: '2027-01-10' }, what: /复评.*7天/, date: '2027年1月10日 23:59' },
  review_overdue: { params: { due: '2027-01-10' }, what: /复评已逾期/, date: '2027年1月10日 23:59' },
  publicity_started: {
    params: { score: 96.5, proposedGrade: 'A', startOn: '2026-11-23', endOn: '2026-11-30' },
    what: /公示.*A级96\.5分/,
    date: '2026年11月30日 23:59',
  },
  publicity_ended: {
    params: { name: LONG_NAME, uscc: USCC, score: 80, proposedGrade: 'C', endOn: '2026-11-30' },
    what: /公示期满.*C级80分/,
    date: '2026年11月30日 23:59',
  },
  result_published: {
    params: { grade: 'B', score: 88, publishedOn: '2026-12-01', nextReviewDue: '2029-12-01' },
    what: /结果已公布.*B级88分/,
    date: '2029年12月1日 23:59',
  },
  downgraded: {
    params: { gradeBefore: 'B', grade: 'D', nextReviewDue: '2027-06-01', severity: 'severe' },
    what: /严重.*降为D级/,
    date: '2027年6月1日 23:59',
  },
  upgrade_window: {
    params: { year: 2027, name: '悦颜医疗美容诊所', grade: 'B' },
    what: /2027年度主动升级/,
    date: '2027年12月31日 23:59',
  },
  upgrade_accepted: { params: { year: 2027 }, what: /升级申请已受理/, date: '2027年3月5日 00:00' },
  upgrade_refused: {
    params: { year: 2027, reason: 'Self-assessment report missing the infection-control section entirely' },
    what: /升级申请未获通过/,
    date: '2027年3月5日 00:00',
  },
  upgrade_banned: { params: { banUntil: '2029-03-05' }, what: /暂停主动升级/, date: '2029年3月5日 23:59' },
};

const TYPE_OF = Object.fromEntries(WECHAT_TEMPLATE_FIELDS.map((f) => [f.key, f.type]));

describe('WeChat template fields (displayed fields only)', () => {
  it.each(NOTICE_KINDS)(
    '%s: the displayed fields alone say what, for whom, by when and what to do',
    (kind) => {
      const c = CASES[kind];
      const data = wechatFields({ kind, params: c.params, on: '2027-03-05', uscc: USCC });
      expect(Object.keys(data).sort()).toEqual(WECHAT_TEMPLATE_FIELDS.map((f) => f.key).sort());
      expect(data).not.toHaveProperty('first');
      expect(data).not.toHaveProperty('remark');
      expect(data.thing1.value).toMatch(c.what);
      expect(data.time3.value).toBe(c.date);
      expect(data.thing2.value).not.toBe('—');
      expect(data.thing5.value).toMatch(/[\u4e00-\u9fff]{2}/);
      for (const [key, { value }] of Object.entries(data)) {
        expect(fieldValueValid(TYPE_OF[key]!, value), `${key}=${value}`).toBe(true);
        expect(value).not.toMatch(/undefined|null|NaN/);
      }
    },
  );

  it.each(NOTICE_KINDS)('%s: fields stay valid when every param is missing', (kind) => {
    const data = wechatFields({ kind, params: {}, on: '2027-03-05', uscc: USCC });
    expect(data.thing2.value).toBe(USCC);
    for (const [key, { value }] of Object.entries(data))
      expect(fieldValueValid(TYPE_OF[key]!, value), `${key}=${value}`).toBe(true);
  });

  it('names the institution, dropping the company form first when the name is too long', () => {
    const data = wechatFields({
      kind: 'publicity_ended',
      params: CASES.publicity_ended.params,
      on: '2026-12-01',
      uscc: USCC,
    });
    expect(data.thing2.value).toBe('杭州西湖区悦颜医疗美容门诊部（普通合伙…');
    expect(Array.from(data.thing2.value)).toHaveLength(20);
    expect(fitThing('悦颜医疗美容诊所连锁管理集团杭州分公司有限公司')).toBe(
      '悦颜医疗美容诊所连锁管理集团杭州分公司',
    );
  });

  it('shortens visibly and never splits a Latin word or a number', () => {
    const reason = wechatFields({
      kind: 'upgrade_refused',
      params: CASES.upgrade_refused.params,
      on: '2027-03-05',
      uscc: USCC,
    }).thing5.value;
    expect(reason).toBe('原因：Self-assessment…');
    expect(fitThing('短文本')).toBe('短文本');
    expect(fitThing('编号 12345678901234567890 已处理')).toBe('编号…');
    expect(fitThing('提醒🎉内容')).toBe('提醒内容');
  });

  it('checks each value against its type', () => {
    expect(fieldValueValid('thing', '一二三四五六七八九十一二三四五六七八九十')).toBe(true);
    expect(fieldValueValid('thing', '一二三四五六七八九十一二三四五六七八九十一')).toBe(false);
    expect(fieldValueValid('phrase', '暂停申请')).toBe(true);
    expect(fieldValueValid('phrase', '暂停主动申请')).toBe(false);
    expect(fieldValueValid('phrase', 'A级')).toBe(false);
    expect(fieldValueValid('character_string', USCC)).toBe(true);
    expect(fieldValueValid('character_string', 'x'.repeat(33))).toBe(false);
    expect(fieldValueValid('character_string', '中文')).toBe(false);
    expect(fieldValueValid('time', '2027年1月10日 23:59')).toBe(true);
    expect(fieldValueValid('time', '2027-01-10')).toBe(false);
  });

  it('links to the institution public page', () => {
    expect(institutionPage('https://credit.example/', USCC)).toBe(`https://credit.example/i/${USCC}`);
  });
});
