import { describe, expect, it } from 'vitest';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import { publishedProfile, type WorkflowResult } from '#shared/services/result-projection.ts';
import { downgradedProfile } from '#shared/services/violations.ts';
import type { StoredViolation } from '#shared/store/workflow.ts';

const profile: InstitutionProfile = {
  uscc: 'U',
  name: 'n',
  aliases: [],
  kind: 'clinic',
  district: '西湖区',
  address: 'a',
  grade: 'A',
  score: 96,
  publishedOn: '2024-01-10',
  currentResultId: 'r0',
  nextReviewDue: '2028-01-10',
  reviewOverdue: false,
  nextReminder: null,
  publicity: { resultId: 'r1', proposedGrade: 'B', score: 90, startOn: '2026-11-23', endOn: '2026-11-27' },
  history: [{ resultId: 'r0', grade: 'A', score: 96, publishedOn: '2024-01-10', reason: 'initial' }],
  industryRating: null,
  closed: false,
  closedOn: null,
  registeredOn: '2020-01-01',
  version: 3,
  updatedAt: 'x',
};

describe('publishedProfile', () => {
  const result = {
    id: 'r1',
    grade: 'B',
    score: 90,
    reason: 'review',
    publishedOn: '2026-11-28',
    nextReviewDue: '2029-11-28',
  } as WorkflowResult;

  it('sets grade, dates, the first reminder and the newest history entry, and clears publicity', () => {
    const next = publishedProfile(profile, result, '2026-11-28');
    expect(next).toMatchObject({
      grade: 'B',
      score: 90,
      currentResultId: 'r1',
      nextReviewDue: '2029-11-28',
      reviewOverdue: false,
      nextReminder: { point: 'due_90', on: '2029-08-30' },
      publicity: null,
    });
    expect(next?.history.map((h) => h.resultId)).toEqual(['r1', 'r0']);
  });

  it('keeps the publicity of another result', () => {
    const other = { ...profile.publicity!, resultId: 'r9' };
    expect(publishedProfile({ ...profile, publicity: other }, result, '2026-11-28')?.publicity).toEqual(
      other,
    );
  });

  it('does nothing when the profile already shows the result', () => {
    const once = publishedProfile(profile, result, '2026-11-28')!;
    expect(publishedProfile({ ...once, version: 4 }, result, '2026-11-28')).toBeNull();
  });
});

describe('downgradedProfile', () => {
  const violation = {
    gradeAfter: 'C',
    downgradeResultId: 'dg-1',
    nextReviewDue: '2028-01-10',
    score: 96,
    recordedOn: '2026-11-23',
    occurredOn: '2026-11-20',
    type: 'accident',
    severity: 'general',
  } as StoredViolation;

  it('applies the new grade and due date once', () => {
    const next = downgradedProfile(profile, violation, '2026-11-23')!;
    expect(next).toMatchObject({ grade: 'C', nextReviewDue: '2028-01-10', currentResultId: 'dg-1' });
    expect(next.history[0]).toEqual({
      resultId: 'dg-1',
      grade: 'C',
      score: 96,
      publishedOn: '2026-11-23',
      reason: 'downgrade',
      cause: { type: 'accident', severity: 'general', occurredOn: '2026-11-20' },
    });
    expect(downgradedProfile({ ...next, version: 4 }, violation, '2026-11-23')).toBeNull();
  });
});
