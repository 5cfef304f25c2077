import { describe, expect, it } from 'vitest';
import { scoreLine } from '#shared/http/pages/institution-page.tsx';

const entry = (grade: 'A' | 'B' | 'C' | 'D', score: number, reason: string, publishedOn: string) =>
  ({ grade, gradeLabel: '', score, publishedOn, reason }) as never;

describe('scoreLine', () => {
  it('shows the band of a grade its score gives', () => {
    expect(scoreLine({ grade: 'C', score: 84.9, history: [entry('C', 84.9, 'initial', '2026-01-05')] })).toBe(
      '，得分 84.9 分（75–84.9分）',
    );
  });

  it('after a downgrade shows the score it came from and the downgrade with its date, never a contradicting band', () => {
    const line = scoreLine({
      grade: 'D',
      score: 84.9,
      history: [entry('D', 84.9, 'downgrade', '2026-11-24'), entry('C', 84.9, 'initial', '2026-01-05')],
    });
    expect(line).toContain('原评分 84.9 分');
    expect(line).toContain('降级为D级');
    expect(line).toContain('2026年11月24日');
    expect(line).not.toContain('75分以下');
    expect(line).not.toContain('75–84.9分');
  });
});
