import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InstitutionPrivate, InstitutionProfile } from '#shared/domain/model.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { batchPut } from '#shared/local/demo.ts';
import { profileItem } from '#shared/store/institution-writer.ts';
import { keys } from '#shared/store/keys.ts';

/** A valid uscc numbered `n` (deterministic). */
export function usccNo(n: number): string {
  return makeUscc(`91330106MA${String(n).padStart(7, '0')}`);
}

/** A graded clinic profile; tests override what they are about. */
export function profileFixture(n: number, overrides: Partial<InstitutionProfile> = {}): InstitutionProfile {
  return {
    uscc: usccNo(n),
    name: `测试${n}医疗美容诊所`,
    aliases: [],
    kind: 'clinic',
    district: '西湖区',
    address: '杭州市西湖区文三路1号',
    grade: 'B',
    score: 88,
    publishedOn: '2024-01-10',
    currentResultId: `r-${n}`,
    nextReviewDue: '2027-01-10',
    reviewOverdue: false,
    nextReminder: null,
    publicity: null,
    history: [],
    industryRating: null,
    closed: false,
    closedOn: null,
    registeredOn: '2023-06-01',
    version: 1,
    updatedAt: '2024-01-10T10:00:00.000+08:00',
    ...overrides,
  };
}

export function privateFixture(n: number, overrides: Partial<InstitutionPrivate> = {}): InstitutionPrivate {
  return {
    uscc: usccNo(n),
    contacts: {
      phones: [`1390000${String(n).padStart(4, '0')}`],
      wechatOpenIds: [`oTEST_openid_${String(n).padStart(6, '0')}`],
    },
    services: {},
    upgradeYears: [],
    upgradeBanUntil: null,
    offSiteSupervised: false,
    version: 1,
    updatedAt: '2024-01-10T10:00:00.000+08:00',
    ...overrides,
  };
}

/** Writes profiles (with their index keys) and private items straight into the table. */
export async function seedInstitutions(
  db: DynamoDBDocumentClient,
  table: string,
  profiles: InstitutionProfile[],
  privates: InstitutionPrivate[],
): Promise<void> {
  await batchPut(db, table, [
    ...profiles.map((p) => profileItem(p)),
    ...privates.map((p) => ({ ...keys.private(p.uscc), ...p })),
  ]);
}
