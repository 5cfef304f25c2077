import { z } from '@hono/zod-openapi';
import { outOfChina } from '../domain/geo.ts';
import { PROCEDURE_NAMES, procedureNamed } from '../domain/procedures.ts';
import { MAX_QUERY_LENGTH } from '../domain/search-query.ts';
import { GRADES, KINDS } from '../domain/types.ts';
import { DistrictSchema, GradeSchema, KindSchema, LocalDateSchema } from './common.ts';
import { PublicityStageSchema } from './institution.ts';

/** `radius` of a near-me search: default and maximum, in metres. */
export const DEFAULT_RADIUS = 3000;
export const MAX_RADIUS = 50000;

const TOO_LONG = `q must be at most ${MAX_QUERY_LENGTH} characters (查询词最多${MAX_QUERY_LENGTH}个字符)`;

/** Query string of `GET /v1/institutions`; every invalid parameter is reported by name. */
export const SearchQuerySchema = z.object({
  q: z
    .string()
    // The same limit as the schema's maxLength (code points), checked before NFKC so an oversized query
    // costs no normalisation work, and again after it.
    .refine((v) => Array.from(v).length <= MAX_QUERY_LENGTH, { message: TOO_LONG })
    .transform((v) => v.normalize('NFKC').trim())
    .refine((v) => Array.from(v).length <= MAX_QUERY_LENGTH, { message: TOO_LONG })
    .optional()
    .openapi({
      param: { name: 'q', in: 'query' },
      description:
        'Part of a name or alias in Chinese, full pinyin (xihu), pinyin initials (xhmr), or an exact uscc; ' +
        'a district name (in full or without 区/县/市) or words of the address (文三路), ranked after every name match. ' +
        `At most ${MAX_QUERY_LENGTH} characters after NFKC; full-width characters and surrounding spaces are normalised.`,
      maxLength: MAX_QUERY_LENGTH,
      example: '悦颜',
    }),
  district: DistrictSchema.optional().openapi({ param: { name: 'district', in: 'query' } }),
  grade: z
    .enum([...GRADES, 'UNGRADED'], { message: 'grade must be A, B, C, D or UNGRADED' })
    .optional()
    .openapi({ param: { name: 'grade', in: 'query' }, description: '`UNGRADED`: no published result yet' }),
  kind: z
    .enum(KINDS, { message: `kind must be one of ${KINDS.join(', ')}` })
    .optional()
    .openapi({ param: { name: 'kind', in: 'query' } }),
  procedure: z
    .string()
    .max(40)
    .transform((v, ctx) => {
      const p = procedureNamed(v.normalize('NFKC').trim());
      if (!p) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown procedure “${v.slice(0, 40)}”; known: ${PROCEDURE_NAMES.join(', ')}`,
        });
        return z.NEVER;
      }
      return p;
    })
    .optional()
    .openapi({
      param: { name: 'procedure', in: 'query' },
      description:
        'A procedure of the catalogue (docs/practice-scope.md): only institutions licensed for its subject and, for cosmetic surgery, ' +
        `a level at least its level. Known: ${PROCEDURE_NAMES.join(', ')}. An unknown one is 400 listing them.`,
      example: '隆乳',
    }),
  near: z
    .string()
    .max(40)
    .transform((v, ctx) => {
      const m = /^\s*(-?\d{1,2}(?:\.\d{1,10})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,10})?)\s*$/.exec(v);
      const lat = Number(m?.[1]);
      const lng = Number(m?.[2]);
      if (!m || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
        ctx.addIssue({
          code: 'custom',
          message: 'near must be lat,lng in decimal degrees (GCJ-02), e.g. 30.2741,120.1551',
        });
        return z.NEVER;
      }
      if (outOfChina(lat, lng)) {
        ctx.addIssue({ code: 'custom', message: 'near must lie in mainland China (GCJ-02 coordinates)' });
        return z.NEVER;
      }
      return { lat, lng };
    })
    .optional()
    .openapi({
      param: { name: 'near', in: 'query' },
      description:
        'A position `lat,lng` in GCJ-02 (as Chinese maps give it; convert a browser’s WGS-84 first): institutions within `radius`, ' +
        'nearest first, each with `distance`. Combines with district, grade, kind and procedure, not with q.',
      example: '30.2741,120.1551',
    }),
  radius: z.coerce
    .number({ message: 'radius must be an integer number of metres from 1 to 50000' })
    .int({ message: 'radius must be an integer number of metres from 1 to 50000' })
    .min(1, { message: 'radius must be an integer number of metres from 1 to 50000' })
    .max(MAX_RADIUS, { message: 'radius must be an integer number of metres from 1 to 50000' })
    .optional()
    .openapi({
      param: { name: 'radius', in: 'query' },
      description: `metres around \`near\`, 1–${MAX_RADIUS} (default ${DEFAULT_RADIUS}); only with near`,
    }),
  limit: z.coerce
    .number({ message: 'limit must be an integer from 1 to 50' })
    .int({ message: 'limit must be an integer from 1 to 50' })
    .min(1, { message: 'limit must be an integer from 1 to 50' })
    .max(50, { message: 'limit must be an integer from 1 to 50' })
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query' }, description: 'page size, 1–50, default 20' }),
  cursor: z
    .string()
    .max(4096)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query' },
      description:
        'the `nextCursor` of the previous page, unchanged, with the same q/district/grade/kind/procedure/near/radius',
    }),
});

export type SearchQuery = z.infer<typeof SearchQuerySchema>;

export const InstitutionSummarySchema = z
  .object({
    uscc: z.string(),
    name: z.string(),
    kind: KindSchema,
    district: DistrictSchema,
    grade: GradeSchema.nullable(),
    gradeLabel: z.string().nullable(),
    score: z.number().nullable(),
    closed: z.boolean(),
    distance: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'with `near` only: metres from the position given, rounded' }),
    location: z
      .object({ lat: z.number(), lng: z.number() })
      .optional()
      .openapi({ description: 'with `near` only: where it is (GCJ-02)' }),
    closedOn: LocalDateSchema.nullable().openapi({
      description: 'since when the institution is closed (已注销/停业)',
    }),
    publicity: z
      .object({
        proposedGrade: GradeSchema,
        proposedGradeLabel: z.string(),
        startOn: LocalDateSchema,
        endOn: LocalDateSchema,
        stage: PublicityStageSchema,
      })
      .nullable()
      .openapi({
        description:
          'A result now in publicity (公示): the proposed grade, the publicity window and where it stands today (as on the institution page); the current grade stands until it is published',
      }),
  })
  .openapi('InstitutionSummary');

export const InstitutionListSchema = z
  .object({
    items: z.array(InstitutionSummarySchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('InstitutionList');

export type InstitutionList = z.infer<typeof InstitutionListSchema>;

export const StatsEntrySchema = z
  .object({
    district: DistrictSchema.optional(),
    institutions: z.number().int().openapi({ description: 'institutions in scope (closed ones excluded)' }),
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
    D: z.number().int(),
    ungraded: z.number().int(),
    closed: z.number().int().openapi({ description: 'closed institutions, outside the scope' }),
    coverage: z.number().min(0).max(1).openapi({ description: 'published ÷ in scope, 0–1' }),
  })
  .openapi('StatsEntry');

export const StatsSchema = z
  .object({
    asOf: z.string().openapi({ description: 'when the figures were computed (+08:00)' }),
    target: z.object({ year: z.number().int(), coverage: z.number() }),
    total: StatsEntrySchema,
    districts: z.array(StatsEntrySchema),
  })
  .openapi('Stats');

export type Stats = z.infer<typeof StatsSchema>;
export type StatsEntry = z.infer<typeof StatsEntrySchema>;
