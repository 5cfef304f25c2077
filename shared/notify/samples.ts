import type { NoticeKind } from './port.ts';
import type { NoticeParams } from './templates.ts';

/**
 * One example of every notice kind, with the params the workflow and jobs send (names as long as real
 * ones get): what /dev/notices previews and docs/notices.md shows. Not used to send anything.
 */
export const SAMPLE_USCC = '91330106MA2CFXKQ1P';
export const SAMPLE_ON = '2027-03-05';
const NAME = '杭州西湖悦颜医疗美容诊所有限公司';

export const NOTICE_SAMPLES: Record<NoticeKind, NoticeParams> = {
  review_due_90: { name: NAME, due: '2027-06-03' },
  review_due_30: { name: NAME, due: '2027-04-04' },
  review_due_7: { name: NAME, due: '2027-03-12' },
  review_overdue: { name: NAME, due: '2027-03-04' },
  publicity_started: {
    name: NAME,
    score: 96.5,
    proposedGrade: 'A',
    startOn: '2027-03-05',
    endOn: '2027-03-11',
  },
  publicity_ended: { name: NAME, uscc: SAMPLE_USCC, score: 80, proposedGrade: 'C', endOn: '2027-03-04' },
  result_published: {
    name: NAME,
    grade: 'B',
    score: 88,
    publishedOn: SAMPLE_ON,
    nextReviewDue: '2030-03-05',
  },
  downgraded: { name: NAME, gradeBefore: 'B', grade: 'D', severity: 'severe', nextReviewDue: '2027-09-05' },
  upgrade_window: { name: NAME, year: 2027 },
  upgrade_accepted: { name: NAME, year: 2027 },
  upgrade_refused: { name: NAME, year: 2027, reason: '自评报告缺少院感管理章节' },
  upgrade_banned: { name: NAME, banUntil: '2029-03-05' },
};
