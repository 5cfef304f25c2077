import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entersDishonestyRecord, rectificationCountsAsTimely } from '../../../shared/domain/dishonesty.ts';
import { GRADES, SEVERITIES } from '../../../shared/domain/types.ts';

describe('rectificationCountsAsTimely', () => {
  it('needs a rectification date', () => {
    expect(rectificationCountsAsTimely('A', {})).toBe(false);
    expect(rectificationCountsAsTimely('A', { rectifiedOn: null, rectificationDeadline: '2026-06-01' })).toBe(
      false,
    );
  });

  it('is timely on or before the deadline, or with no deadline', () => {
    expect(
      rectificationCountsAsTimely('D', { rectifiedOn: '2026-06-01', rectificationDeadline: '2026-06-01' }),
    ).toBe(true);
    expect(
      rectificationCountsAsTimely('D', { rectifiedOn: '2026-06-02', rectificationDeadline: '2026-06-01' }),
    ).toBe(false);
    expect(rectificationCountsAsTimely(null, { rectifiedOn: '2026-06-02' })).toBe(true);
  });

  it('counts a late effective compliance rectification as timely for A/B/C only', () => {
    const late = {
      rectifiedOn: '2026-07-01',
      rectificationDeadline: '2026-06-01',
      effectiveCompliance: true,
    };
    for (const g of ['A', 'B', 'C'] as const) expect(rectificationCountsAsTimely(g, late)).toBe(true);
    expect(rectificationCountsAsTimely('D', late)).toBe(false);
    expect(rectificationCountsAsTimely(null, late)).toBe(false);
  });
});

describe('entersDishonestyRecord', () => {
  const timely = { rectifiedOn: '2026-05-20', rectificationDeadline: '2026-06-01' };

  it('leaves out a minor violation of an A or B institution rectified in time', () => {
    for (const grade of ['A', 'B'] as const) {
      const decision = entersDishonestyRecord({ grade, severity: 'minor', ...timely });
      expect(decision.enters).toBe(false);
      expect(decision.reason).toContain('不作失信评价');
    }
    expect(entersDishonestyRecord({ grade: 'A', severity: 'minor', rectifiedOn: '2026-05-20' }).enters).toBe(
      false,
    );
  });

  it('records a minor violation rectified on the day after the deadline', () => {
    const decision = entersDishonestyRecord({
      grade: 'A',
      severity: 'minor',
      rectifiedOn: '2026-06-02',
      rectificationDeadline: '2026-06-01',
    });
    expect(decision).toEqual({ enters: true, reason: expect.stringContaining('未及时改正') });
  });

  it('records an unrectified minor violation, any non-minor one, and any of C, D or ungraded', () => {
    expect(entersDishonestyRecord({ grade: 'B', severity: 'minor' }).enters).toBe(true);
    expect(entersDishonestyRecord({ grade: 'A', severity: 'general', ...timely })).toEqual({
      enters: true,
      reason: expect.stringContaining('非轻微'),
    });
    for (const grade of ['C', 'D', null] as const) {
      expect(entersDishonestyRecord({ grade, severity: 'minor', ...timely })).toEqual({
        enters: true,
        reason: expect.stringContaining('仅A级、B级'),
      });
    }
  });

  it('property: left out exactly for A/B, minor, rectified timely', () => {
    const day = fc.option(
      fc.integer({ min: 1, max: 28 }).map((d) => `2026-06-${String(d).padStart(2, '0')}`),
      {
        nil: undefined,
      },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...GRADES, null),
        fc.constantFrom(...SEVERITIES),
        day,
        day,
        (grade, severity, rectifiedOn, rectificationDeadline) => {
          const expectedOut =
            (grade === 'A' || grade === 'B') &&
            severity === 'minor' &&
            rectifiedOn !== undefined &&
            (rectificationDeadline === undefined || rectifiedOn <= rectificationDeadline);
          const decision = entersDishonestyRecord({ grade, severity, rectifiedOn, rectificationDeadline });
          expect(decision.enters).toBe(!expectedOut);
          expect(decision.reason).toMatch(/[\u4e00-\u9fff]/);
        },
      ),
    );
  });
});

describe('the dishonesty verdict in words', () => {
  it('says an ungraded institution is not exempt, naming the exempt grades', () => {
    expect(
      entersDishonestyRecord({
        grade: null,
        severity: 'minor',
        rectifiedOn: '2026-03-01',
        rectificationDeadline: '2026-03-10',
      }),
    ).toEqual({
      enters: true,
      reason: '未评级机构不适用轻微违法及时改正免于失信评价的规定（仅A级、B级机构适用），纳入失信评价',
    });
    expect(
      entersDishonestyRecord({
        grade: 'C',
        severity: 'minor',
        rectifiedOn: '2026-03-01',
        rectificationDeadline: '2026-03-10',
      }).reason,
    ).toBe('C级机构不适用轻微违法及时改正免于失信评价的规定（仅A级、B级机构适用），纳入失信评价');
  });
});
