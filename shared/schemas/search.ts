import { z } from '@hono/zod-openapi';
import { MAX_QUERY_LENGTH } from '../domain/search-query.ts';
import { DISTRICTS, GRADES, KINDS } from '../domain/types.ts';
import { DistrictSchema, GradeSchema, KindSchema } from './common.ts';

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
        'Part of a name or alias in Chinese, full pinyin (xihu), pinyin initials (xhmr), or an exact uscc. ' +
        `At most ${MAX_QUERY_LENGTH} characters after NFKC; full-width characters and surrounding spaces are normalised.`,
      maxLength: MAX_QUERY_LENGTH,
      example: '悦颜',
    }),
  district: z
    .enum(DISTRICTS, { message: `district must be one of ${DISTRICTS.join(' ')}` })
    .optional()
    .openapi({ param: { name: 'district', in: 'query' }, example: '西湖区' }),
  grade: z
    .enum([...GRADES, 'UNGRADED'], { message: 'grade must be A, B, C, D or UNGRADED' })
    .optional()
    .openapi({ param: { name: 'grade', in: 'query' }, description: '`UNGRADED`: no published result yet' }),
  kind: z
    .enum(KINDS, { message: `kind must be one of ${KINDS.join(', ')}` })
    .optional()
    .openapi({ param: { name: 'kind', in: 'query' } }),
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
      description: 'the `nextCursor` of the previous page, unchanged, with the same q/district/grade/kind',
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
