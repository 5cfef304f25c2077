import { GRADE_LABELS, GRADE_MEANINGS } from '../../domain/grading.ts';
import { measuresForGrade } from '../../domain/measures.ts';
import type { InstitutionProfile } from '../../domain/model.ts';
import { isReviewOverdue } from '../../domain/review.ts';
import { KIND_LABELS, type LocalDate } from '../../domain/types.ts';
import type { InstitutionDetail } from '../../schemas/institution.ts';

/**
 * The public view of a profile, built field by field from an allow-list: anything not named here
 * (contacts, watch-list, inspections) cannot leak into a public response.
 */
export function presentDetail(p: InstitutionProfile, today: LocalDate, baseUrl: string): InstitutionDetail {
  return {
    uscc: p.uscc,
    name: p.name,
    aliases: [...p.aliases],
    kind: p.kind,
    kindLabel: KIND_LABELS[p.kind],
    district: p.district,
    address: p.address,
    grade: p.grade,
    gradeLabel: p.grade ? GRADE_LABELS[p.grade] : null,
    gradeMeaning: p.grade ? GRADE_MEANINGS[p.grade] : null,
    score: p.score,
    publishedOn: p.publishedOn,
    nextReviewDue: p.nextReviewDue,
    reviewOverdue: p.closed
      ? false
      : p.reviewOverdue || (p.nextReviewDue !== null && isReviewOverdue(p.nextReviewDue, today)),
    // Publicity scheduled for a later day is not yet publicity (DOMAIN.md "Life of a grading result").
    publicity:
      p.publicity && p.publicity.startOn <= today
        ? {
            resultId: p.publicity.resultId,
            proposedGrade: p.publicity.proposedGrade,
            proposedGradeLabel: GRADE_LABELS[p.publicity.proposedGrade],
            score: p.publicity.score,
            startOn: p.publicity.startOn,
            endOn: p.publicity.endOn,
            objectionUrl: `/v1/publicity/${encodeURIComponent(p.publicity.resultId)}/objections`,
          }
        : null,
    history: p.history.map((h) => ({
      grade: h.grade,
      gradeLabel: GRADE_LABELS[h.grade],
      score: h.score,
      publishedOn: h.publishedOn,
      reason: h.reason,
    })),
    measures: p.closed
      ? []
      : measuresForGrade(p.grade).map((m) => ({ code: m.code, label: m.label, description: m.description })),
    industryRating: p.industryRating
      ? {
          scheme: p.industryRating.scheme,
          level: p.industryRating.level,
          ratedOn: p.industryRating.ratedOn,
          note: '行业协会评价，非卫生健康部门量化分级结果',
        }
      : null,
    closed: p.closed,
    closedOn: p.closedOn,
    pageUrl: `${baseUrl.replace(/\/$/, '')}/i/${p.uscc}`,
  };
}
