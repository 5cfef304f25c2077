import { describe, expect, it } from 'vitest';
import { measuresForGrade } from '../../../shared/domain/measures.ts';
import { GRADES } from '../../../shared/domain/types.ts';

const codes = (grade: Parameters<typeof measuresForGrade>[0]) => measuresForGrade(grade).map((m) => m.code);

describe('measuresForGrade', () => {
  it('gives A every convenience', () => {
    expect(codes('A')).toEqual([
      'remote_verification',
      'priority_handling',
      'notification_commitment',
      'tolerance_of_missing_documents',
      'offsite_supervision',
    ]);
  });

  it('gives B the A/B conveniences and off-site supervision, but not remote verification', () => {
    expect(codes('B')).toEqual([
      'priority_handling',
      'notification_commitment',
      'tolerance_of_missing_documents',
      'offsite_supervision',
    ]);
  });

  it('gives C off-site supervision only, D key supervision only, ungraded nothing', () => {
    expect(codes('C')).toEqual(['offsite_supervision']);
    expect(codes('D')).toEqual(['key_supervision']);
    expect(codes(null)).toEqual([]);
  });

  it('labels and explains every measure in Chinese', () => {
    expect(measuresForGrade('A').map((m) => m.label)).toEqual([
      '云踏勘',
      '优先办理',
      '告知承诺',
      '容缺办理',
      '非现场监管',
    ]);
    expect(measuresForGrade('D')[0]?.label).toBe('重点监管');
    for (const g of GRADES) {
      for (const m of measuresForGrade(g)) expect(m.description).toMatch(/[\u4e00-\u9fff]{6,}/);
    }
  });

  it('never mentions random inspections or the watch list (public text)', () => {
    for (const g of GRADES) {
      const text = JSON.stringify(measuresForGrade(g));
      expect(text).not.toMatch(/随机|抽查|抽检|双随机|重点关注|%|random|inspection rate/i);
    }
  });

  it('returns copies, so a caller cannot change the table', () => {
    const first = measuresForGrade('C');
    if (first[0]) first[0].label = 'changed';
    expect(measuresForGrade('C')[0]?.label).toBe('非现场监管');
  });
});
