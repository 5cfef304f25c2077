import { describe, expect, it } from 'vitest';
import { NOTICE_KINDS } from '#shared/notify/port.ts';
import { renderNotice } from '#shared/notify/templates.ts';

describe('notice templates', () => {
  it('renders every kind in Chinese without leaking "undefined" when params are missing', () => {
    for (const kind of NOTICE_KINDS) {
      const { title, text } = renderNotice(kind, {});
      expect(title).toMatch(/[\u4e00-\u9fff]/);
      expect(text).toMatch(/[\u4e00-\u9fff]/);
      expect(`${title}${text}`).not.toMatch(/undefined|null|NaN/);
    }
  });

  it('fills the values it is given, with the grade label', () => {
    const text = renderNotice('result_published', {
      name: '悦颜医疗美容诊所',
      grade: 'A',
      score: 96.5,
      nextReviewDue: '2030-11-23',
    }).text;
    expect(text).toContain('悦颜医疗美容诊所');
    expect(text).toContain('A级（示范机构）');
    expect(text).toContain('96.5分');
    expect(text).toContain('2030-11-23');
  });

  it('has no notice about random inspections', () => {
    expect(NOTICE_KINDS.some((k) => /inspect|random/.test(k))).toBe(false);
    for (const kind of NOTICE_KINDS) expect(renderNotice(kind, {}).text).not.toMatch(/抽查|双随机/);
  });

  it('reads the parameter names the workflow uses: a downgrade by severity, a ban end date, a proposed grade', () => {
    const down = renderNotice('downgraded', {
      gradeBefore: 'B',
      grade: 'D',
      nextReviewDue: '2027-06-01',
      severity: 'severe',
    }).text;
    expect(down).toContain('严重');
    expect(down).toContain('由B级（规范机构）调整为D级（待提升机构）');
    expect(renderNotice('upgrade_banned', { banUntil: '2028-11-23' }).text).toContain('2028-11-23');
    expect(renderNotice('publicity_started', { grade: 'C', score: 80 }).text).toContain('C级（合格机构）');
  });
});
