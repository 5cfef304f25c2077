import type { Grade } from './types.ts';

/**
 * The conveniences (便利化服务) and supervision a grade brings, for the public page (DOMAIN.md "Credit
 * supervision"). Public text: nothing here may mention random inspections (双随机抽查) or the watch list
 * (API.md: never anything about random inspections).
 */

export interface Measure {
  code: string;
  label: string;
  description: string;
}

const REMOTE_VERIFICATION: Measure = {
  code: 'remote_verification',
  label: '云踏勘',
  description: '定期校验时可通过远程视频方式进行现场核查。',
};
const PRIORITY_HANDLING: Measure = {
  code: 'priority_handling',
  label: '优先办理',
  description: '办理行政审批等事项时优先受理、优先办理。',
};
const NOTIFICATION_COMMITMENT: Measure = {
  code: 'notification_commitment',
  label: '告知承诺',
  description: '符合条件的事项可实行告知承诺制，机构书面承诺符合条件即可办理。',
};
const TOLERANCE_OF_MISSING_DOCUMENTS: Measure = {
  code: 'tolerance_of_missing_documents',
  label: '容缺办理',
  description: '主要材料齐全、次要材料暂缺的，可先行受理，缺失材料限期补齐。',
};
const OFFSITE_SUPERVISION: Measure = {
  code: 'offsite_supervision',
  label: '非现场监管',
  description: '纳入非现场监管系统并及时整改推送问题的，可免于现场检查。',
};
const KEY_SUPERVISION: Measure = {
  code: 'key_supervision',
  label: '重点监管',
  description: '监管部门加强监督检查，督促机构整改、提升规范执业水平。',
};

/**
 * Measures by grade: A remote verification; A and B priority handling, notification-commitment and
 * tolerance of missing documents; A, B and C off-site supervision; D key supervision.
 */
export const MEASURES_BY_GRADE: Record<Grade, readonly Measure[]> = {
  A: [
    REMOTE_VERIFICATION,
    PRIORITY_HANDLING,
    NOTIFICATION_COMMITMENT,
    TOLERANCE_OF_MISSING_DOCUMENTS,
    OFFSITE_SUPERVISION,
  ],
  B: [PRIORITY_HANDLING, NOTIFICATION_COMMITMENT, TOLERANCE_OF_MISSING_DOCUMENTS, OFFSITE_SUPERVISION],
  C: [OFFSITE_SUPERVISION],
  D: [KEY_SUPERVISION],
};

/** The measures a grade earns, as fresh objects the caller may serialise; none without a published grade. */
export function measuresForGrade(grade: Grade | null): Measure[] {
  return grade === null ? [] : MEASURES_BY_GRADE[grade].map((m) => ({ ...m }));
}
