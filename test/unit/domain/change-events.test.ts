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

describe('describeChange, per event type', () => {
  const say = (over: Partial<ChangeEvent>, name?: string) =>
    describeChange(publicChangeEvent(event(over)), name);

  it('names an institution without a name by its uscc', () => {
    expect(say({ type: 'withdrawn' })).toBe(
      '统一社会信用代码 91330106MA2CFXKQ1P 的机构（西湖区）的量化分级结果已撤回。',
    );
  });

  it('publicity: the proposed grade, the score and the window, each only when known', () => {
    expect(
      say({ type: 'publicity_started', before: null, after: { grade: 'C', startOn: '2026-11-23' } }, '甲'),
    ).toBe('甲（西湖区）的量化分级结果开始公示，拟评为C级合格机构。公示期内任何单位和个人均可提出异议。');
    expect(
      say({ type: 'publicity_started', before: null, after: { endOn: '2026-11-27', score: '90' } }, '甲'),
    ).toBe('甲（西湖区）的量化分级结果开始公示。公示期内任何单位和个人均可提出异议。');
    expect(say({ type: 'publicity_started', before: null, after: null }, '甲')).toBe(
      '甲（西湖区）的量化分级结果开始公示。公示期内任何单位和个人均可提出异议。',
    );
  });

  it('publication: the grade, the score and the grade it replaces', () => {
    expect(say({ type: 'published', before: { grade: 'B' }, after: { grade: 'A', score: 96 } }, '甲')).toBe(
      '甲（西湖区）的量化分级结果正式公布：A级示范机构，得分 96（原为B级规范机构）。',
    );
    expect(say({ type: 'published', before: null, after: { grade: 'E' } }, '甲')).toBe(
      '甲（西湖区）的量化分级结果正式公布。',
    );
    expect(say({ type: 'published', before: { grade: 5 }, after: { grade: 'D' } }, '甲')).toBe(
      '甲（西湖区）的量化分级结果正式公布：D级待提升机构。',
    );
  });

  it('a downgrade with the grades only when known', () => {
    expect(say({ type: 'downgraded', before: null, after: null }, '甲')).toBe(
      '甲（西湖区）因违法违规、医疗事故或不良社会事件被降级。',
    );
  });

  it('the other events in one sentence each', () => {
    expect(say({ type: 'objection_upheld' }, '甲')).toBe(
      '甲（西湖区）公示中的量化分级结果经核查异议成立，该结果不予公布。',
    );
    expect(say({ type: 'institution_registered' }, '甲')).toBe('甲（西湖区）纳入美容医疗机构量化分级管理。');
    expect(say({ type: 'institution_closed' }, '甲')).toBe('甲（西湖区）已注销或停业，不再参加量化分级。');
  });

  it('an event type this version does not know yet: its code as label, said plainly', () => {
    const e = publicChangeEvent(event({ type: 'merged' as ChangeEvent['type'] }));
    expect(e.typeLabel).toBe('merged');
    expect(describeChange(e, '甲')).toBe('甲（西湖区）：merged。');
  });

  it('publishes no state for a missing before/after', () => {
    const e = publicChangeEvent(event({ before: null, after: null }));
    expect(e.before).toBeNull();
    expect(e.after).toBeNull();
  });
});

describe('describeChange, of a withdrawal and a licence change', () => {
  const say = (over: Partial<ChangeEvent>) => describeChange(publicChangeEvent(event(over)), '甲');

  it('a withdrawal in one sentence', () => {
    expect(say({ type: 'withdrawn', before: null, after: null })).toBe('甲（西湖区）的量化分级结果已撤回。');
  });

  it('a licence change: the subjects and the highest surgery level, each only when known', () => {
    const licence = (after: Record<string, unknown> | null) =>
      say({ type: 'licence_changed', before: null, after });
    expect(licence({ subjects: ['美容外科', '美容皮肤科'], surgeryLevel: 3 })).toBe(
      '甲（西湖区）的执业许可信息变更：核准科目美容外科、美容皮肤科，美容外科手术最高三级。',
    );
    expect(licence({ subjects: ['美容牙科'], surgeryLevel: null })).toBe(
      '甲（西湖区）的执业许可信息变更：核准科目美容牙科。',
    );
    expect(licence({ subjects: [], surgeryLevel: 1 })).toBe(
      '甲（西湖区）的执业许可信息变更，美容外科手术最高一级。',
    );
    expect(licence({ subjects: '美容外科', surgeryLevel: '2' })).toBe('甲（西湖区）的执业许可信息变更。');
    expect(licence(null)).toBe('甲（西湖区）的执业许可信息变更。');
    expect(publicChangeEvent(event({ type: 'licence_changed' })).typeLabel).toBe(
      '执业许可科目或手术级别变更',
    );
  });

  it('keeps every private field out of before and after, whatever the producer put in', () => {
    const privateFields = {
      contacts: 1,
      phones: 1,
      phone: 1,
      wechatOpenIds: 1,
      services: 1,
      generalAnesthesia: 1,
      liposuction: 1,
      prepaidNonCompliant: 1,
      watchList: 1,
      watchlist: 1,
      inspection: 1,
      inspections: 1,
      inspectionPlan: 1,
      drawn: 1,
      upgradeBanUntil: 1,
      offSiteSupervised: 1,
    };
    const e = publicChangeEvent(
      event({ before: { grade: 'A', ...privateFields }, after: { ...privateFields } }),
    );
    expect(e.before).toEqual({ grade: 'A' });
    expect(e.after).toEqual({});
  });

  it('matches a listed type in another district only when no district is asked for', () => {
    expect(matchesFilter(event(), { types: ['downgraded'], district: '滨江区' })).toBe(false);
    expect(matchesFilter(event(), { types: ['downgraded'], district: null })).toBe(true);
  });
});
