import type { GradingResult } from '#shared/domain/model.ts';
import { usccNo } from './institutions.ts';

/**
 * A review of the clinic of `profileFixture(1)`, scored 90 (B) by the city on 2026-11-10 under revision
 * 2025-1 and not yet approved; tests override what they are about.
 */
export function resultFixture(overrides: Partial<GradingResult> = {}): GradingResult {
  return {
    id: 'r-1',
    uscc: usccNo(1),
    kind: 'clinic',
    district: '西湖区',
    status: 'scored',
    score: 90,
    grade: 'B',
    breakdown: null,
    reason: 'review',
    assessedOn: '2026-11-10',
    revision: '2025-1',
    assessor: 'city-officer',
    delegatedTo: null,
    publicity: null,
    openObjections: 0,
    publishedOn: null,
    nextReviewDue: null,
    createdAt: '2026-11-10T10:00:00.000+08:00',
    createdBy: 'city-officer',
    version: 1,
    updatedAt: '2026-11-10T10:00:00.000+08:00',
    ...overrides,
  };
}
