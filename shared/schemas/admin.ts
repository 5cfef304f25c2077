import { z } from '@hono/zod-openapi';
import { INDUSTRY_LEVELS } from '../domain/model.ts';
import { MAINLAND_MOBILE, MAINLAND_MOBILE_MESSAGE } from '../domain/phone.ts';
import { GRADES, SEVERITIES, VIOLATION_TYPES } from '../domain/types.ts';
import {
  DistrictSchema,
  decimalNumber,
  GradeSchema,
  KindSchema,
  LocalDateSchema,
  text,
  UsccBody,
} from './common.ts';

/** A score or a part of one: 0–100 with at most one decimal. */
const scoreNumber = () => decimalNumber({ min: 0, max: 100, places: 1 });

/** Request and response shapes of the authenticated API; the OpenAPI document is generated from them. */

const Name = text().min(1).max(100);
const Phone = text().regex(MAINLAND_MOBILE, MAINLAND_MOBILE_MESSAGE).openapi({ example: '13912345678' });

export const ContactsSchema = z
  .object({
    phones: z.array(Phone).max(10).optional(),
    wechatOpenIds: z.array(text().min(1).max(64)).max(10).optional(),
  })
  .openapi('Contacts');

export const ServicesSchema = z
  .object({
    generalAnesthesia: z.boolean().optional(),
    liposuction: z.boolean().optional(),
    prepaidNonCompliant: z.boolean().optional(),
  })
  .openapi('HighRiskServices');

export const RegistrationSchema = z
  .object({
    uscc: UsccBody,
    name: Name,
    kind: z.string().min(1).max(40).openapi({
      description:
        '`hospital`, `outpatient` or `clinic`. Anything else (e.g. `general_hospital`) is refused with 422 out-of-scope.',
      example: 'clinic',
    }),
    district: DistrictSchema,
    address: text().min(1).max(200),
    aliases: z.array(Name).max(10).optional(),
    contacts: ContactsSchema.optional(),
    services: ServicesSchema.optional(),
    offSiteSupervised: z.boolean().optional(),
    generalHospital: z.boolean().optional().openapi({
      description: 'true for a general hospital with a cosmetic department: refused (422 out-of-scope)',
    }),
  })
  .openapi('Registration');

export const InstitutionUpdateSchema = z
  .object({
    name: Name.optional(),
    address: text().min(1).max(200).optional(),
    aliases: z.array(Name).max(10).optional(),
    contacts: ContactsSchema.optional(),
    services: ServicesSchema.optional(),
    offSiteSupervised: z.boolean().optional(),
  })
  .openapi('InstitutionUpdate');

export const CloseSchema = z.object({ closedOn: LocalDateSchema.optional() }).openapi('Close');

export const ProfileSchema = z
  .looseObject({
    uscc: z.string(),
    name: z.string(),
    kind: KindSchema,
    district: DistrictSchema,
    grade: GradeSchema.nullable(),
    closed: z.boolean(),
    version: z.number(),
  })
  .openapi('AdminProfile');

export const AdminInstitutionSchema = z
  .object({
    profile: ProfileSchema,
    private: z.looseObject({ uscc: z.string() }).nullable(),
    results: z.array(z.looseObject({ id: z.string() })),
    violations: z.array(z.looseObject({ id: z.string() })),
  })
  .openapi('AdminInstitution');

const UNUSABLE_NAME = 'not a usable breakdown item name';

/** Breakdown item names: any text but names that would reach an object's prototype. */
const BreakdownKey = z
  .string()
  .min(1)
  .max(100)
  .refine((k) => k !== '__proto__' && k !== 'prototype' && !(k in Object.prototype), {
    message: UNUSABLE_NAME,
  });

/**
 * JSON.parse keeps a `"__proto__"` key as an own property, but a record schema drops it without a
 * word; it is refused here, before the record is built, so the client hears of it.
 */
export const BreakdownSchema = z.preprocess(
  (value, ctx) => {
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
      ctx.issues.push({ code: 'custom', path: ['__proto__'], message: UNUSABLE_NAME, input: value });
    }
    return value;
  },
  z.record(BreakdownKey, scoreNumber()),
);

export const ScoreSchema = z
  .object({
    uscc: UsccBody,
    score: scoreNumber().openapi({ example: 88.5 }),
    breakdown: BreakdownSchema.optional().openapi({ example: { 依法执业: 30, 医疗质量: 58.5 } }),
    assessedOn: LocalDateSchema,
    reason: z.enum(['initial', 'review', 'upgrade']),
    assessor: text().max(100).optional(),
    delegatedTo: text()
      .max(100)
      .optional()
      .openapi({ description: 'association or quality-control centre the scoring was delegated to (委托)' }),
  })
  .openapi('Scoring');

export const ScoredSchema = z
  .object({ id: z.string(), grade: GradeSchema, status: z.string() })
  .openapi('Scored');

export const AssessmentSchema = z
  .looseObject({
    id: z.string(),
    uscc: z.string(),
    status: z.string(),
    grade: GradeSchema,
    score: z.number(),
    publicity: z.object({ startOn: LocalDateSchema, endOn: LocalDateSchema }).nullable(),
    version: z.number(),
  })
  .openapi('Assessment');

export const ObjectionSchema = z
  .looseObject({ id: z.string(), resultId: z.string(), status: z.enum(['open', 'upheld', 'dismissed']) })
  .openapi('Objection');

export const AssessmentDetailSchema = z
  .object({ result: AssessmentSchema, objections: z.array(ObjectionSchema) })
  .openapi('AssessmentDetail');

export const PublicityRequestSchema = z
  .object({ startOn: LocalDateSchema.optional().openapi({ description: 'posting date; default today' }) })
  .openapi('PublicityRequest');

export const PublicityWindowSchema = z
  .object({ id: z.string(), status: z.string(), startOn: LocalDateSchema, endOn: LocalDateSchema })
  .openapi('PublicityWindow');

export const ObjectionRequestSchema = z
  .object({
    text: text()
      .min(1, 'the objection needs a text')
      .max(2000, 'at most 2000 characters')
      .openapi({ description: 'what is objected to (≤ 2000 characters)' }),
    altcha: z
      .string({ error: 'a solved proof-of-work challenge is required (GET /v1/publicity/challenge)' })
      .min(1, 'a solved proof-of-work challenge is required (GET /v1/publicity/challenge)')
      .max(2048)
      .openapi({
        description:
          'the solved challenge of GET /v1/publicity/challenge: base64(JSON {algorithm, challenge, number, salt, signature})',
      }),
  })
  .openapi('ObjectionRequest');

export const ResolutionSchema = z
  .object({ upheld: z.boolean(), resolution: text().min(1).max(2000) })
  .openapi('Resolution');

export const BulkDismissalSchema = z
  .object({
    resolution: text().min(1).max(2000),
    ids: z.array(z.string().min(1).max(120)).min(1).max(1000).optional().openapi({
      description: 'only these objections; default every open objection of the result',
    }),
  })
  .openapi('BulkDismissal');

export const ObjectionPageSchema = z
  .object({ items: z.array(ObjectionSchema), nextCursor: z.string().nullable() })
  .openapi('ObjectionPage');

export const ViolationRequestSchema = z
  .object({
    occurredOn: LocalDateSchema,
    type: z.enum(VIOLATION_TYPES),
    severity: z.enum(SEVERITIES),
    description: text().min(1).max(2000),
    rectifiedOn: LocalDateSchema.optional(),
    rectificationDeadline: LocalDateSchema.optional(),
    effectiveCompliance: z.boolean().optional().openapi({
      description: 'the regulator judged the rectification an effective compliance rectification',
    }),
  })
  .openapi('ViolationRequest');

export const ViolationSchema = z
  .looseObject({
    id: z.string(),
    gradeBefore: GradeSchema.nullable(),
    gradeAfter: GradeSchema.nullable(),
    nextReviewDue: LocalDateSchema.nullable(),
    entersDishonestyRecord: z.boolean(),
    dishonestyReason: z.string(),
  })
  .openapi('Violation');

export const UpgradeApplicationRequestSchema = z
  .object({
    selfScore: scoreNumber(),
    report: text().min(1).max(20_000).openapi({ description: 'the self-assessment report' }),
  })
  .openapi('UpgradeApplicationRequest');

export const UpgradeApplicationSchema = z
  .looseObject({ id: z.string(), uscc: z.string(), year: z.number(), status: z.string() })
  .openapi('UpgradeApplication');

export const IndustryRatingRequestSchema = z
  .object({
    level: z.enum(INDUSTRY_LEVELS).openapi({ description: 'the association’s level, 1A (lowest) to 5A' }),
    ratedOn: LocalDateSchema.openapi({ description: 'the day of the evaluation; not in the future' }),
    ratedBy: text().min(1).max(100).openapi({
      description: 'the association that rated; an association token may name only itself',
      example: '中国整形美容协会',
    }),
    validUntil: LocalDateSchema.optional().openapi({ description: 'after ratedOn' }),
  })
  .strict()
  .openapi('IndustryRatingRequest');

export const UntrueFindingSchema = z
  .object({
    foundOn: LocalDateSchema.openapi({
      description: 'the day regulators found it; the 2-year ban runs from it',
    }),
    foundAt: z.enum(['review', 'inspection']),
    reason: text().min(1).max(2000),
  })
  .openapi('UntrueFinding');

export const UpgradeDecisionSchema = z
  .object({
    outcome: z.enum(['accepted', 'refused', 'untrue']).openapi({
      description:
        'accepted: re-assessed with `score` (reason upgrade, same lifecycle); refused; untrue: the self-assessment was untrue or concealing (自评不实) → no application for 2 years',
    }),
    reason: text().max(2000).optional(),
    score: scoreNumber().optional(),
    breakdown: BreakdownSchema.optional(),
    assessedOn: LocalDateSchema.optional(),
  })
  .openapi('UpgradeDecision');

/** A share: 0, or from 0.0001 to 1 with at most 4 decimals. */
const Rate = decimalNumber({ min: 0, max: 1, places: 4 });

export const PlanRequestSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    seed: text().min(1).max(200).openapi({ description: 'recorded with the plan so anyone can re-draw it' }),
    rates: z
      .object({ A: Rate.optional(), B: Rate.optional(), C: Rate.optional(), D: Rate.optional() })
      .optional()
      .openapi({ description: 'within D ≥ 0.5, C ≤ 0.35, B ≤ 0.25, A ≤ 0.15' }),
    excludeOffSite: z.boolean().optional(),
  })
  .openapi('InspectionPlanRequest');

const PlanEntrySchema = z.object({
  grade: z.enum(GRADES),
  rate: z.number(),
  population: z.number(),
  size: z.number(),
  drawn: z.array(z.string()),
});

export const PlanSchema = z
  .looseObject({
    year: z.number(),
    seed: z.string().optional().openapi({ description: 'absent in a district’s part of the plan' }),
    district: DistrictSchema.optional().openapi({ description: 'present in a district’s part of the plan' }),
    entries: z.array(PlanEntrySchema),
  })
  .openapi('InspectionPlan');

export const PlanCheckSchema = z
  .object({ year: z.number(), seed: z.string(), matches: z.boolean(), redrawn: z.array(PlanEntrySchema) })
  .openapi('InspectionPlanCheck');

export const WatchListSchema = z
  .object({
    items: z.array(
      z.object({
        uscc: z.string(),
        name: z.string(),
        kind: z.string(),
        district: DistrictSchema,
        grade: GradeSchema,
        reasons: z.array(z.string()),
      }),
    ),
  })
  .openapi('WatchList');

const CoverageRowSchema = z.object({
  district: DistrictSchema,
  inScope: z.number(),
  published: z.number(),
  coverage: z.number(),
});

export const CoverageSchema = z
  .object({
    asOf: LocalDateSchema,
    summary: CoverageRowSchema.omit({ district: true }),
    districts: z.array(CoverageRowSchema),
  })
  .openapi('Coverage');

export const AuditListSchema = z
  .object({
    items: z.array(
      z.looseObject({
        id: z.string(),
        at: z.string(),
        action: z.string(),
        actor: z.looseObject({ subject: z.string() }),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('AuditList');

export const ImportReportSchema = z
  .object({
    ok: z.boolean(),
    rows: z.number(),
    created: z.number(),
    skipped: z.number(),
    assessments: z.number(),
    errors: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() })),
    errorsOmitted: z
      .number()
      .optional()
      .openapi({ description: 'Errors past the first 1,000, left out of `errors` (docs/imports.md)' }),
  })
  .openapi('ImportReport');
