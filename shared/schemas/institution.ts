import { z } from '@hono/zod-openapi';
import { INDUSTRY_LEVELS } from '../domain/model.ts';
import { SUBJECTS } from '../domain/practice-scope.ts';
import { SEVERITIES, VIOLATION_TYPES } from '../domain/types.ts';
import { DistrictSchema, decimalNumber, GradeSchema, KindSchema, LocalDateSchema } from './common.ts';

export const MeasureSchema = z
  .object({ code: z.string(), label: z.string(), description: z.string() })
  .openapi('Measure');

export const HistoryEntrySchema = z
  .object({
    grade: GradeSchema,
    gradeLabel: z.string(),
    score: z.number(),
    publishedOn: LocalDateSchema,
    reason: z.enum(['initial', 'review', 'upgrade', 'downgrade']),
    revision: z.string().nullable().openapi({
      description:
        "The city rulebook's revision the result was graded under (null before revisions were recorded)",
      example: '2025-1',
    }),
    proposedGrade: GradeSchema.nullable().openapi({
      description:
        'The grade proposed in publicity when a violation during a first publicity lowered the published one, else null',
    }),
    cause: z
      .object({
        type: z.enum(VIOLATION_TYPES),
        typeLabel: z.string(),
        severity: z.enum(SEVERITIES),
        severityLabel: z.string(),
        occurredOn: LocalDateSchema,
      })
      .nullable()
      .openapi({
        description:
          'For a downgrade: what caused it (violation, medical accident or adverse social event), how serious and when; null otherwise and on downgrades recorded before causes were kept',
      }),
  })
  .openapi('HistoryEntry');

export const ReplySchema = z
  .object({
    text: z.string(),
    submittedOn: LocalDateSchema,
    approvedOn: LocalDateSchema,
  })
  .openapi('InstitutionReply', {
    description:
      "The institution's own statement about its grade, in its own words, shown once the regulator that scores it approved it",
  });

/** Where a publicity stands today, the same wherever a result in publicity is shown (page, search, feed). */
export const PublicityStageSchema = z.enum(['open', 'ended', 'unpublishable']).openapi('PublicityStage', {
  description:
    'open: objections are taken (公示中); ended: publicity is over and awaits confirmation (公示期满，待审核确认), no objections; ' +
    'unpublishable: a downgrade since the assessment stands over the proposed grade, so this result will not be published (公示结果不予公布)',
});

export const PublicitySchema = z
  .object({
    resultId: z.string(),
    proposedGrade: GradeSchema,
    proposedGradeLabel: z.string(),
    score: z.number(),
    startOn: LocalDateSchema,
    endOn: LocalDateSchema,
    objectionUrl: z.string(),
    stage: PublicityStageSchema,
    gradeCap: GradeSchema.nullable().openapi({
      description:
        'A violation during a first publicity: the result will be published no higher than this grade (null when none)',
    }),
  })
  .openapi('Publicity');

export const SubjectSchema = z.enum(SUBJECTS).openapi('Subject', {
  description: 'a medical-aesthetic subject of a practice licence (医疗美容科目)',
});

export const SurgeryLevelSchema = z
  .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
  .openapi('SurgeryLevel', {
    description: 'cosmetic-surgery level 1–4 (一级–四级), 医疗美容项目分级管理目录 (2009)',
  });

export const PhysicianSchema = z
  .object({
    name: z.string(),
    subject: SubjectSchema,
    certificateNo: z.string().openapi({ description: '医师执业证书编码' }),
    since: LocalDateSchema.openapi({ description: 'registered as attending physician here since' }),
  })
  .openapi('Physician', {
    description: 'an attending physician (主诊医师), as a practising certificate shows',
  });

export const ProcedureSchema = z
  .object({
    name: z.string().openapi({ example: '隆乳' }),
    formal: z.string().openapi({ example: '隆乳术（假体植入）' }),
    subject: SubjectSchema,
    level: SurgeryLevelSchema.nullable(),
  })
  .openapi('Procedure');

export const GeoPointSchema = z
  .object({
    lat: decimalNumber({ min: -90, max: 90, places: 6, finer: 'rounded' }).openapi({ example: 30.2741 }),
    lng: decimalNumber({ min: -180, max: 180, places: 6, finer: 'rounded' }).openapi({ example: 120.1551 }),
  })
  .openapi('GeoPoint', { description: 'GCJ-02 coordinates in decimal degrees (as Chinese maps use)' });

const IndustryRatingSchema = z
  .object({
    level: z.enum(INDUSTRY_LEVELS),
    ratedOn: LocalDateSchema,
    ratedBy: z.string(),
    validUntil: LocalDateSchema.nullable(),
    note: z.string(),
  })
  .openapi('IndustryRating');

export const InstitutionDetailSchema = z
  .object({
    uscc: z.string(),
    name: z.string(),
    aliases: z.array(z.string()),
    kind: KindSchema,
    kindLabel: z.string(),
    district: DistrictSchema,
    address: z.string(),
    grade: GradeSchema.nullable(),
    gradeLabel: z.string().nullable(),
    gradeMeaning: z.string().nullable(),
    score: z.number().nullable(),
    publishedOn: LocalDateSchema.nullable(),
    nextReviewDue: LocalDateSchema.nullable(),
    reviewOverdue: z.boolean(),
    publicity: PublicitySchema.nullable(),
    history: z.array(HistoryEntrySchema),
    measures: z.array(MeasureSchema),
    industryRating: IndustryRatingSchema.nullable().openapi({
      description:
        'The most recent of `industryRatings`: an industry association’s own 1A–5A evaluation (e.g. 中国整形美容协会), apart from and never mixed with the regulatory grade',
    }),
    industryRatings: z.array(IndustryRatingSchema).openapi({
      description:
        'Every association’s current rating, one per association, each labelled with its association',
    }),
    licenceNumber: z
      .string()
      .nullable()
      .openapi({ description: '医疗机构执业许可证登记号; null until a regulator enters the licence' }),
    subjects: z.array(SubjectSchema).openapi({ description: 'licensed medical-aesthetic subjects' }),
    surgeryLevel: SurgeryLevelSchema.nullable().openapi({
      description:
        'highest cosmetic-surgery level it may perform, 1–4, or null (no 美容外科, or not entered)',
    }),
    physicians: z
      .array(PhysicianSchema)
      .openapi({ description: 'registered attending physicians (主诊医师)' }),
    procedures: z.array(ProcedureSchema).openapi({
      description: 'the procedures of the catalogue its licence allows; none when closed',
    }),
    location: GeoPointSchema.nullable(),
    mapUrl: z.string().nullable().openapi({
      description: 'opens the place in a map app (Amap, which takes GCJ-02); null without a location',
    }),
    closed: z.boolean(),
    closedOn: LocalDateSchema.nullable(),
    reply: ReplySchema.nullable(),
    pageUrl: z.string(),
  })
  .openapi('InstitutionDetail');

export type InstitutionDetail = z.infer<typeof InstitutionDetailSchema>;
