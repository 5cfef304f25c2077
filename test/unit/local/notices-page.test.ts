import { describe, expect, it } from 'vitest';
import { renderNotices } from '#shared/local/notices-page.ts';
import { wechatCardFields } from '#shared/notify/local-sink.ts';
import { NOTICE_KINDS } from '#shared/notify/port.ts';
import { NOTICE_SAMPLES, SAMPLE_ON, SAMPLE_USCC } from '#shared/notify/samples.ts';
import { renderSms, smsSegments } from '#shared/notify/sms-templates.ts';

/** The date a sample notice is about, as YYYY-MM-DD: its deadline, else the day it was decided. */
function dueOf(kind: (typeof NOTICE_KINDS)[number]): string {
  const p = NOTICE_SAMPLES[kind];
  const date =
    p.due ??
    p.endOn ??
    p.nextReviewDue ??
    p.banUntil ??
    (kind === 'upgrade_window' ? '2027-12-31' : SAMPLE_ON);
  return String(date);
}
const asWeChatTime = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

describe('/dev/notices: each notice as the phone shows it', () => {
  const html = renderNotices([]);

  it.each(NOTICE_KINDS)('%s: the sample card shows only the displayed fields, with the date', (kind) => {
    const section = html.slice(html.indexOf(`id="sample-${kind}"`)).split('</li>')[0]!;
    const card = section.slice(section.indexOf('class="wx"'), section.indexOf('class="sms"'));
    expect(card.match(/<dt>/g)).toHaveLength(5);
    expect(card).not.toMatch(/first|remark|备注/);
    expect(card).toContain(asWeChatTime(dueOf(kind)));
    expect(card).toContain(`href="/i/${SAMPLE_USCC}"`);
  });

  it.each(NOTICE_KINDS)('%s: the sample SMS shows its signature, length and billed segments', (kind) => {
    const sms = renderSms(kind, NOTICE_SAMPLES[kind], SAMPLE_USCC);
    const section = html.slice(html.indexOf(`id="sample-${kind}"`)).split('</li>')[0]!;
    expect(section).toContain('【杭州卫健医美信用】');
    expect(section).toContain(`${Array.from(sms.text).length} 字 · 计费 ${smsSegments(sms.text)} 条`);
    expect(section).toContain(sms.templateCode);
  });

  it('shows a sent WeChat notice as a card and a sent SMS with its segment count', () => {
    const fields = wechatCardFields({
      kind: 'review_due_7',
      params: { due: '2027-01-10' },
      on: '2027-01-03',
      uscc: SAMPLE_USCC,
    });
    const page = renderNotices([
      { channel: 'wechat', kind: 'review_due_7', uscc: SAMPLE_USCC, fields, text: 'ignored' },
      {
        channel: 'sms',
        kind: 'review_due_7',
        uscc: SAMPLE_USCC,
        text: `【杭州卫健医美信用】${'字'.repeat(71)}`,
      },
    ]);
    const sent = page.slice(0, page.indexOf('每种通知的样例'));
    expect(sent).toContain('<dt>时间</dt><dd>2027年1月10日 23:59</dd>');
    expect(sent).not.toContain('ignored');
    expect(sent).toContain('81 字 · 计费 2 条');
  });
});
