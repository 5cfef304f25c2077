import { describe, expect, it } from 'vitest';
import { NOTICE_KINDS } from '#shared/notify/port.ts';
import {
  renderSms,
  SMS_MAX_CHARS,
  SMS_TEMPLATES,
  SMS_VARIABLES,
  type SmsVariable,
  smsSegments,
  templateVariables,
} from '#shared/notify/sms-templates.ts';
import { SMS_SIGNATURE } from '#shared/notify/templates.ts';

const USCC = '91330106MA2CFXKQ1P';
const LONG = '杭州西湖区悦颜医疗美容门诊部（普通合伙）滨江分部附属医疗美容诊所有限责任公司';

/** Every param far longer than its variable allows: the rendered text must still fit. */
const LONGEST = {
  name: LONG,
  uscc: USCC,
  due: '2027-01-10',
  endOn: '2027-01-10',
  nextReviewDue: '2027-01-10',
  banUntil: '2029-03-05',
  score: 100,
  grade: 'D',
  proposedGrade: 'D',
  year: 2027,
  reason: LONG,
  severity: 'serious',
};

describe('SMS templates', () => {
  it.each(NOTICE_KINDS)(
    '%s: the rendered text, signature included, fits two segments at maximum lengths',
    (kind) => {
      const sms = renderSms(kind, LONGEST, USCC);
      expect(sms.text.startsWith(SMS_SIGNATURE)).toBe(true);
      expect(Array.from(sms.text).length).toBeLessThanOrEqual(SMS_MAX_CHARS);
      expect(smsSegments(sms.text)).toBeLessThanOrEqual(2);
      expect(sms.text).not.toMatch(/undefined|null|NaN|\$\{/);
      for (const [v, value] of Object.entries(sms.params))
        expect(Array.from(value).length).toBeLessThanOrEqual(SMS_VARIABLES[v as SmsVariable]);
    },
  );

  it.each(NOTICE_KINDS)('%s: the worst case of the template itself stays within two segments', (kind) => {
    const t = SMS_TEMPLATES[kind];
    const worst = t.text.replace(/\$\{(\w+)\}/g, (_, v: SmsVariable) => 'x'.repeat(SMS_VARIABLES[v]));
    expect(Array.from(`${SMS_SIGNATURE}${worst}`).length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(templateVariables(t.text).every((v) => v in SMS_VARIABLES)).toBe(true);
  });

  it('passes only the variables a template uses, shortened visibly', () => {
    const sms = renderSms('upgrade_refused', { year: 2027, reason: LONG, name: LONG }, USCC);
    expect(sms.templateCode).toBe('YM_UPGRADE_REFUSED');
    expect(Object.keys(sms.params).sort()).toEqual(['name', 'reason', 'year']);
    expect(sms.params.name).toBe('杭州西湖区悦颜医疗美容门诊部（普通合伙…');
  });

  it('has distinct template codes', () => {
    const codes = Object.values(SMS_TEMPLATES).map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('bills up to 70 characters as one message and a longer one per 67-character part', () => {
    expect(smsSegments('字'.repeat(70))).toBe(1);
    expect(smsSegments('字'.repeat(71))).toBe(2);
    expect(smsSegments('字'.repeat(134))).toBe(2);
    expect(smsSegments('字'.repeat(135))).toBe(3);
    expect(smsSegments('字'.repeat(160))).toBe(3);
    expect(SMS_MAX_CHARS).toBe(134);
  });

  it('renders the longest notice, publicity_ended at maximum lengths, in 110 characters and two segments', () => {
    const lengths = NOTICE_KINDS.map((kind) => Array.from(renderSms(kind, LONGEST, USCC).text).length);
    expect(Math.max(...lengths)).toBe(110);
    expect(NOTICE_KINDS[lengths.indexOf(110)]).toBe('publicity_ended');
  });
});
