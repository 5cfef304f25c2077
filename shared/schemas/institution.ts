import { z } from '@hono/zod-openapi';
import { INDUSTRY_LEVELS } from '../domain/model.ts';
import { DistrictSchema, GradeSchema, KindSchema, LocalDateSchema } from './common.ts';

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
  })
  .openapi('HistoryEntry');

export const PublicitySchema = z
  .object({
    resultId: z.string(),
    proposedGrade: GradeSchema,
    proposedGradeLabel: z.string(),
    score: z.number(),
    startOn: LocalDateSchema,
    endOn: LocalDateSchema,
    objectionUrl: z.string(),
  })
  .openapi('Publicity');

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
    industryRating: z
      .object({
        level: z.enum(INDUSTRY_LEVELS),
        ratedOn: LocalDateSchema,
        ratedBy: z.string(),
        validUntil: LocalDateSchema.nullable(),
        note: z.string(),
      })
      .nullable()
      .openapi({
        description:
          'The industry association’s own 1A–5A evaluation (e.g. 中国整形美容协会), apart from and never mixed with the regulatory grade',
      }),
    closed: z.boolean(),
    closedOn: LocalDateSchema.nullable(),
    pageUrl: z.string(),
  })
  .openapi('InstitutionDetail');

export type InstitutionDetail = z.infer<typeof InstitutionDetailSchema>;
