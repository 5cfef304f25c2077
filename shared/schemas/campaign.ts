import { z } from '@hono/zod-openapi';
import { CAMPAIGN_BASES, CAMPAIGN_STAGES } from '../domain/campaign.ts';
import { DistrictSchema, GradeSchema, KindSchema, LocalDateSchema } from './common.ts';

/** Shapes of the yearly campaign (全市每年统一组织一次); the OpenAPI document is generated from them. */

export const CampaignStageSchema = z.enum(CAMPAIGN_STAGES).openapi('CampaignStage', {
  description:
    'Where the campaign’s work for an institution stands: not_started (no result of the year), applied ' +
    '(upgrade application awaiting decision), scored, approved and rechecked (clinics), publicity_scheduled ' +
    '(publicity set to begin on a later day), in_publicity, objection_open (an objection awaits a decision), ' +
    'publicity_ended (awaiting confirmation and publication), published, refused (application refused or ' +
    'found untrue), withdrawn (the result was withdrawn and not replaced).',
});

export const CampaignBasisSchema = z.enum(CAMPAIGN_BASES).openapi('CampaignBasis', {
  description:
    'Why the campaign covers the institution: new (never graded), review (re-review due by the end of the ' +
    'year, an overdue one included) or upgrade (upgrade application of the year).',
});

const count = z.number().int().min(0);

export const CampaignProgressSchema = z
  .object({
    covered: count,
    settled: count.openapi({ description: 'published, or application refused' }),
    progress: z.number().min(0).max(1).openapi({ description: 'settled ÷ covered (0 when none covered)' }),
    byBasis: z.record(CampaignBasisSchema, count),
    byStage: z.record(CampaignStageSchema, count),
  })
  .openapi('CampaignProgress');

export const CampaignSummarySchema = z
  .object({
    year: z.number().int(),
    asOf: z.string().openapi({ description: 'ISO 8601 with +08:00' }),
    district: DistrictSchema.nullable().openapi({
      description: 'the district the figures are limited to (a district role’s own), or null for the city',
    }),
    total: CampaignProgressSchema,
    districts: z.array(CampaignProgressSchema.extend({ district: DistrictSchema })),
  })
  .openapi('CampaignSummary');

export const CampaignEntrySchema = z
  .object({
    uscc: z.string(),
    name: z.string(),
    kind: KindSchema,
    district: DistrictSchema,
    basis: CampaignBasisSchema,
    stage: CampaignStageSchema,
    grade: GradeSchema.nullable().openapi({ description: 'the grade in force now' }),
    proposedGrade: GradeSchema.nullable().openapi({ description: 'the grade of the campaign’s result' }),
    reviewDue: LocalDateSchema.nullable(),
    resultId: z.string().nullable(),
    applicationId: z.string().nullable(),
  })
  .openapi('CampaignEntry');

export const CampaignPageSchema = z
  .object({ items: z.array(CampaignEntrySchema), nextCursor: z.string().nullable() })
  .openapi('CampaignPage');

export const CampaignYearParam = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .openapi({ param: { name: 'year', in: 'path' }, description: 'calendar year (Asia/Shanghai)' }),
});

export const CampaignSummaryQuery = z.object({
  district: DistrictSchema.optional().openapi({ param: { name: 'district', in: 'query' } }),
});

export const CampaignListQuery = z.object({
  district: DistrictSchema.optional().openapi({ param: { name: 'district', in: 'query' } }),
  stage: CampaignStageSchema.optional().openapi({ param: { name: 'stage', in: 'query' } }),
  basis: CampaignBasisSchema.optional().openapi({ param: { name: 'basis', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(1024).optional(),
});
