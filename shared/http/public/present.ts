import type { GeoPoint } from '../../domain/geo.ts';
import { gradeLabel, gradeMeaning } from '../../domain/grading.ts';
import { publicityHasEnded } from '../../domain/lifecycle.ts';
import { measuresForGrade } from '../../domain/measures.ts';

import {
  type HistoryEntry,
  type IndustryRating,
  type InstitutionProfile,
  type PublicityInfo,
  ratingsOf,
} from '../../domain/model.ts';

import { proceduresAllowed } from '../../domain/procedures.ts';
import { isReviewOverdue } from '../../domain/review.ts';
import { kindLabel, rulesOf } from '../../domain/rules.ts';
import type { LocalDate } from '../../domain/types.ts';
import { SEVERITY_LABELS, VIOLATION_TYPE_LABELS } from '../../domain/violation-labels.ts';
import type { InstitutionDetail } from '../../schemas/institution.ts';

/**
 * The public view of a profile, built field by field from an allow-list: anything not named here
 * (contacts, watch-list, inspections) cannot leak into a public response.
 */
/** Where an objection to a result is posted: an absolute URL, usable as it stands from a feed or a page. */
export function objectionUrl(publicBaseUrl: string, resultId: string): string {
  return new URL(`/v1/publicity/${encodeURIComponent(resultId)}/objections`, publicBaseUrl).toString();
}

/** Where a publicity stands today: objections end with `endOn`; a standing downgrade makes it unpublishable. */
export function publicityStage(
  p: Pick<PublicityInfo, 'endOn' | 'unpublishable'>,
  today: LocalDate,
): 'open' | 'ended' | 'unpublishable' {
  if (p.unpublishable) return 'unpublishable';
  return publicityHasEnded(p.endOn, today) ? 'ended' : 'open';
}

export function presentDetail(p: InstitutionProfile, today: LocalDate, baseUrl: string): InstitutionDetail {
  return {
    uscc: p.uscc,
    name: p.name,
    aliases: [...p.aliases],
    kind: p.kind,
    kindLabel: kindLabel(p.kind),
    district: p.district,
    address: p.address,
    grade: p.grade,
    gradeLabel: p.grade ? gradeLabel(p.grade) : null,
    gradeMeaning: p.grade ? gradeMeaning(p.grade) : null,
    score: p.score,
    publishedOn: p.publishedOn,
    // A closed institution owes no re-review.
    nextReviewDue: p.closed ? null : p.nextReviewDue,
    reviewOverdue: p.closed
      ? false
      : p.reviewOverdue || (p.nextReviewDue !== null && isReviewOverdue(p.nextReviewDue, today)),
    // Publicity scheduled for a later day is not yet publicity (DOMAIN.md "Life of a grading result").
    publicity:
      p.publicity && p.publicity.startOn <= today && !p.closed
        ? {
            resultId: p.publicity.resultId,
            proposedGrade: p.publicity.proposedGrade,
            proposedGradeLabel: gradeLabel(p.publicity.proposedGrade),
            score: p.publicity.score,
            startOn: p.publicity.startOn,
            endOn: p.publicity.endOn,
            objectionUrl: objectionUrl(baseUrl, p.publicity.resultId),
            stage: publicityStage(p.publicity, today),
            gradeCap: p.publicity.gradeCap ?? null,
          }
        : null,
    history: p.history.map((h) => ({
      grade: h.grade,
      gradeLabel: gradeLabel(h.grade, rulesOf({ revision: h.revision, assessedOn: h.publishedOn })),
      score: h.score,
      publishedOn: h.publishedOn,
      reason: h.reason,
      revision: h.revision ?? null,
      proposedGrade: h.proposedGrade ?? null,
      cause: presentCause(h),
    })),
    measures: p.closed
      ? []
      : measuresForGrade(p.grade).map((m) => ({ code: m.code, label: m.label, description: m.description })),
    industryRating: p.industryRating ? presentRating(p.industryRating) : null,
    industryRatings: ratingsOf(p).map(presentRating),
    licenceNumber: p.licence?.number ?? null,
    subjects: [...(p.licence?.subjects ?? [])],
    surgeryLevel: p.licence?.surgeryLevel ?? null,
    physicians: (p.physicians ?? []).map((d) => ({
      name: d.name,
      subject: d.subject,
      certificateNo: d.certificateNo,
      since: d.since,
    })),
    procedures: p.closed ? [] : proceduresAllowed(p.licence).map((x) => ({ ...x })),
    location: p.location ? { lat: p.location.lat, lng: p.location.lng } : null,
    mapUrl: p.location ? mapUrl(p.location, p.name) : null,
    closed: p.closed,
    closedOn: p.closedOn,
    reply: p.reply
      ? { text: p.reply.text, submittedOn: p.reply.submittedOn, approvedOn: p.reply.approvedOn }
      : null,
    pageUrl: `${baseUrl.replace(/\/$/, '')}/i/${p.uscc}`,
  };
}

/** A link that opens the place in Amap (the app on a phone, the web map elsewhere); Amap takes GCJ-02. */
export function mapUrl(at: GeoPoint, name: string): string {
  const q = new URLSearchParams({
    position: `${at.lng},${at.lat}`,
    name,
    coordinate: 'gaode',
    callnative: '1',
  });
  return `https://uri.amap.com/marker?${q.toString()}`;
}

/** An association's rating as the public sees it: labelled as the association's, not the regulators'. */
function presentRating(r: IndustryRating) {
  return {
    level: r.level,
    ratedOn: r.ratedOn,
    ratedBy: r.ratedBy,
    validUntil: r.validUntil,
    note: '行业协会评价，非卫生健康部门量化分级结果',
  };
}

function presentCause(h: HistoryEntry) {
  if (h.reason !== 'downgrade' || !h.cause) return null;
  return {
    type: h.cause.type,
    typeLabel: VIOLATION_TYPE_LABELS[h.cause.type],
    severity: h.cause.severity,
    severityLabel: SEVERITY_LABELS[h.cause.severity],
    occurredOn: h.cause.occurredOn,
  };
}
