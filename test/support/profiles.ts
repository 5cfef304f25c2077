import type { InstitutionPrivate, InstitutionProfile } from '#shared/domain/model.ts';
import type { District, Kind } from '#shared/domain/types.ts';
import { makeUscc } from '#shared/domain/uscc.ts';

let counter = 0;

/** A valid uscc, different on every call. */
export function nextUscc(): string {
  counter += 1;
  return makeUscc(`91330106MA${String(counter).padStart(7, '0')}`);
}

/** A registered, ungraded institution with sensible defaults. */
export function profileFixture(overrides: Partial<InstitutionProfile> = {}): InstitutionProfile {
  return {
    uscc: nextUscc(),
    name: '西湖悦颜医疗美容诊所',
    aliases: [],
    kind: 'clinic' as Kind,
    district: '西湖区' as District,
    address: '杭州市西湖区文三路1号',
    grade: null,
    score: null,
    publishedOn: null,
    currentResultId: null,
    nextReviewDue: null,
    reviewOverdue: false,
    nextReminder: null,
    publicity: null,
    history: [],
    industryRating: null,
    closed: false,
    closedOn: null,
    registeredOn: '2025-01-01',
    version: 1,
    updatedAt: '2025-01-01T10:00:00.000+08:00',
    ...overrides,
  };
}

export function privateFixture(
  uscc: string,
  overrides: Partial<InstitutionPrivate> = {},
): InstitutionPrivate {
  return {
    uscc,
    contacts: { phones: ['13900001111'], wechatOpenIds: ['oTESTOPENID1'] },
    services: {},
    upgradeYears: [],
    upgradeBanUntil: null,
    offSiteSupervised: false,
    version: 1,
    updatedAt: '2025-01-01T10:00:00.000+08:00',
    ...overrides,
  };
}
