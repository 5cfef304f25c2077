import { afterEach, describe, expect, it } from 'vitest';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import { installRulebook, rulebook } from '#shared/rulebook/current.ts';
import { downgradedProfile, downgradeEvent, violationId } from '#shared/services/violations.ts';
import { profileFixture } from '../../support/institutions.ts';
import { violationFixture } from '../../support/violations.ts';

/**
 * A violation's identity (the same report twice is one violation), the profile a downgrade leaves (the
 * new grade, due date and history entry; the reply about the old grade gone; no reminder for a closed
 * institution) and the `downgraded` event the feed carries.
 */

const report = {
  occurredOn: '2026-11-20',
  type: 'accident' as const,
  severity: 'general' as const,
  description: '术后感染未及时上报',
};

const violation = violationFixture();

describe('violationId', () => {
  it('is the same for the same report, however its description is padded', () => {
    expect(violationId('U1', report)).toBe(
      violationId('U1', { ...report, description: `  ${report.description} ` }),
    );
    expect(violationId('U1', report)).toMatch(/^[0-9a-f]{20}$/);
  });

  it('differs when the institution, day, type, severity or description differs', () => {
    const ids = [
      violationId('U1', report),
      violationId('U2', report),
      violationId('U1', { ...report, occurredOn: '2026-11-21' }),
      violationId('U1', { ...report, type: 'violation' }),
      violationId('U1', { ...report, severity: 'serious' }),
      violationId('U1', { ...report, description: '另一事项' }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ignores what is not the report itself (its rectification)', () => {
    expect(violationId('U1', { ...report, rectifiedOn: '2026-11-22', effectiveCompliance: true })).toBe(
      violationId('U1', report),
    );
  });
});

describe('downgradedProfile', () => {
  const replied: InstitutionProfile = {
    ...profileFixture(1),
    reply: { text: '我们已整改', submittedOn: '2025-12-30', approvedOn: '2026-01-01' },
  };

  it('shows the new grade, the due date it set, the downgrade on top of the history and drops the reply', () => {
    const next = downgradedProfile(replied, violation, '2026-11-23');
    expect(next).toMatchObject({
      grade: 'C',
      currentResultId: 'dg-v1',
      reply: null,
      nextReviewDue: '2026-12-10',
      reviewOverdue: false,
      nextReminder: { point: 'due_7', on: '2026-12-03' },
      score: 88,
    });
    expect(next?.history[0]).toEqual({
      resultId: 'dg-v1',
      grade: 'C',
      score: 88,
      publishedOn: '2026-11-23',
      reason: 'downgrade',
      revision: '2025-1',
      cause: { type: 'accident', severity: 'general', occurredOn: '2026-11-20' },
    });
    expect(next?.history.slice(1)).toEqual(replied.history);
  });

  it('flags the review overdue when the due date it set has passed, and sends a closed institution no reminder', () => {
    expect(downgradedProfile(replied, violation, '2026-12-11')?.reviewOverdue).toBe(true);
    expect(downgradedProfile(replied, violation, '2026-12-10')?.reviewOverdue).toBe(false);
    expect(downgradedProfile({ ...replied, closed: true }, violation, '2026-11-23')?.nextReminder).toBeNull();
  });

  it('carries the profile’s score when the violation kept none, else 0', () => {
    const unscored = { ...violation, score: null };
    expect(downgradedProfile(replied, unscored, '2026-11-23')?.history[0]?.score).toBe(88);
    expect(downgradedProfile({ ...replied, score: null }, unscored, '2026-11-23')?.history[0]?.score).toBe(0);
  });

  it('leaves out the revision an older record does not name', () => {
    const { revision: _, ...older } = violation;
    expect(downgradedProfile(replied, older, '2026-11-23')?.history[0]).not.toHaveProperty('revision');
  });

  it('changes nothing for a violation that downgraded nothing, or a downgrade already shown', () => {
    expect(downgradedProfile(replied, { ...violation, gradeAfter: null }, '2026-11-23')).toBeNull();
    expect(downgradedProfile(replied, { ...violation, downgradeResultId: null }, '2026-11-23')).toBeNull();
    expect(downgradedProfile(replied, { ...violation, nextReviewDue: null }, '2026-11-23')).toBeNull();
    const shown = downgradedProfile(replied, violation, '2026-11-23') as InstitutionProfile;
    expect(downgradedProfile(shown, violation, '2026-11-23')).toBeNull();
  });
});

describe('downgradedProfile under a rulebook that changed its reminders', () => {
  const running = rulebook();
  afterEach(() => installRulebook(running));
  const first = running.revisions[0] as (typeof running.revisions)[number];
  // From 2027 the reminders go out 60, 14 and 3 days before the due date instead of 90, 30 and 7.
  const withLaterRevision = {
    ...running,
    revisions: [
      ...running.revisions,
      { ...first, id: '2027-1', effectiveFrom: '2027-01-01', reminderDaysBefore: [60, 14, 3] },
    ],
  };
  const in2027 = {
    ...violation,
    occurredOn: '2027-03-01',
    nextReviewDue: '2027-06-30',
    recordedOn: '2027-03-05',
  };

  it('times the reminders by the revision the violation was judged by, not the first one', () => {
    installRulebook(withLaterRevision);
    const next = downgradedProfile(profileFixture(1), { ...in2027, revision: '2027-1' }, '2027-03-05');
    expect(next?.nextReminder).toEqual({ point: 'due_90', on: '2027-05-01' });
  });

  it('keeps the revision the violation recorded even when a later one is in force on its date', () => {
    installRulebook(withLaterRevision);
    const next = downgradedProfile(profileFixture(1), { ...in2027, revision: first.id }, '2027-03-05');
    expect(next?.nextReminder).toEqual({ point: 'due_90', on: '2027-04-01' });
  });

  it('times an older record that names no revision by the one in force on the violation’s date', () => {
    installRulebook(withLaterRevision);
    const { revision: _, ...older } = in2027;
    expect(downgradedProfile(profileFixture(1), older, '2027-03-05')?.nextReminder).toEqual({
      point: 'due_90',
      on: '2027-05-01',
    });
  });
});

describe('downgradeEvent', () => {
  it('says which grade fell to which, the new due date, the severity and the kind of event', () => {
    expect(downgradeEvent(violation, '西湖区')).toEqual({
      key: 'downgraded:v1',
      type: 'downgraded',
      uscc: violation.uscc,
      district: '西湖区',
      occurredAt: '2026-11-23T10:00:00.000+08:00',
      before: { grade: 'B' },
      after: { grade: 'C', nextReviewDue: '2026-12-10', severity: 'general', type: 'accident' },
    });
  });
});
