import { describe, expect, it } from 'vitest';
import { describeChange, matchesFilter, publicChangeEvent } from '#shared/domain/change-events.ts';
import type { ChangeEvent } from '#shared/domain/model.ts';

const event = (over: Partial<ChangeEvent> = {}): ChangeEvent => ({
  id: '7',
  seq: 7,
  type: 'downgraded',
  uscc: '91330106MA2CFXKQ1P',
  district: '西湖区',
  occurredAt: '2026-11-20T15:00:00+08:00',
  recordedAt: '2026-11-20T07:00:01.000Z',
  before: { grade: 'A', score: 96 },
  after: { grade: 'C', contacts: { phones: ['13900000000'] }, services: { liposuction: true } },
  ...over,
});

describe('change events for the public', () => {
  it('keeps the contract fields and drops contacts and high-risk services from before/after', () => {
    const e = publicChangeEvent(event());
    expect(e).toEqual({
      id: '7',
      type: 'downgraded',
      typeLabel: '等级下调',
      uscc: '91330106MA2CFXKQ1P',
      district: '西湖区',
      occurredAt: '2026-11-20T15:00:00+08:00',
      before: { grade: 'A', score: 96 },
      after: { grade: 'C' },
    });
  });

  it('matches every type and district when the filter is empty, else only the listed ones', () => {
    const e = event();
    expect(matchesFilter(e, { types: [], district: null })).toBe(true);
    expect(matchesFilter(e, { types: ['published', 'downgraded'], district: '西湖区' })).toBe(true);
    expect(matchesFilter(e, { types: ['published'], district: null })).toBe(false);
    expect(matchesFilter(e, { types: [], district: '滨江区' })).toBe(false);
  });

  it('says in plain Chinese what happened', () => {
    expect(describeChange(publicChangeEvent(event()), '悦颜医疗美容诊所')).toBe(
      '悦颜医疗美容诊所（西湖区）因违法违规、医疗事故或不良社会事件被降级，由A级示范机构降为C级合格机构。',
    );
    const started = publicChangeEvent(
      event({
        type: 'publicity_started',
        before: null,
        after: { proposedGrade: 'B', score: 90.5, startOn: '2026-11-23', endOn: '2026-11-27' },
      }),
    );
    expect(describeChange(started)).toContain(
      '拟评为B级规范机构，得分 90.5，公示期 2026-11-23 至 2026-11-27',
    );
  });
});
