import type { NoticeMessage } from '#shared/notify/message.ts';

/** The fixture clinic's reminder that its review is due in 7 days, by WeChat; `overrides` replace single fields. */
export function wechatReminder(overrides: Partial<NoticeMessage> = {}): NoticeMessage {
  return {
    v: 1,
    uscc: '91330106MA2CFXKQ1P',
    kind: 'review_due_7',
    cycle: '2027-01-10',
    channel: 'wechat',
    to: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    params: { name: '悦颜医疗美容诊所', due: '2027-01-10' },
    on: '2027-01-03',
    ...overrides,
  };
}

/** The same reminder by SMS: the template carries the date only. */
export function smsReminder(): NoticeMessage {
  return wechatReminder({ channel: 'sms', to: '13912345678', params: { due: '2027-01-10' } });
}

/** The fixture clinic's notice that its result (A, 96) was published, by WeChat. */
export function wechatPublished(): NoticeMessage {
  return wechatReminder({
    kind: 'result_published',
    cycle: 'r-1',
    params: { grade: 'A', score: 96, nextReviewDue: '2030-11-23' },
    on: '2026-11-23',
  });
}
