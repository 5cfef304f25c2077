import type { StoredViolation } from '#shared/store/workflow.ts';
import { profileFixture } from './institutions.ts';

/**
 * A recorded violation of the clinic of `profileFixture(1)`: a general accident of 2026-11-20, recorded
 * on 2026-11-23, that downgraded it from B to C; tests override what they are about.
 */
export function violationFixture(overrides: Partial<StoredViolation> = {}): StoredViolation {
  return {
    id: 'v1',
    uscc: profileFixture(1).uscc,
    occurredOn: '2026-11-20',
    type: 'accident',
    severity: 'general',
    description: '术后感染未及时上报',
    rectifiedOn: null,
    rectificationDeadline: null,
    effectiveCompliance: false,
    gradeBefore: 'B',
    gradeAfter: 'C',
    entersDishonestyRecord: true,
    dishonestyReason: 'r',
    nextReviewDue: '2026-12-10',
    revision: '2025-1',
    score: 88,
    downgradeResultId: 'dg-v1',
    recordedAt: '2026-11-23T10:00:00.000+08:00',
    recordedOn: '2026-11-23',
    recordedBy: 'test-city',
    recordedByActor: { subject: 'test-city', role: 'city' },
    ...overrides,
  };
}
