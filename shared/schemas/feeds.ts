import { z } from '@hono/zod-openapi';
import {
  CHANGE_TYPES,
  type ChangeType,
  CONTRACT_CHANGE_TYPES,
  EXTENSION_CHANGE_TYPES,
} from '../domain/types.ts';
import { DistrictSchema, GradeSchema, KindSchema, LocalDateSchema } from './common.ts';
import { PublicityStageSchema } from './institution.ts';

/** Request and response shapes of the association feeds (publicity, change feed, export). */

export const LimitQuery = z.coerce
  .number()
  .int()
  .min(1)
  .max(50)
  .default(20)
  .openapi({
    param: { name: 'limit', in: 'query' },
    example: 20,
    description: 'page size, 1–50 (default 20)',
  });

export const ChangeTypeSchema = z.enum(CONTRACT_CHANGE_TYPES).openapi('ChangeType');

/** Types beyond the contract's seven, marked `x-extension` so generated clients can tell them apart. */
export const ExtensionChangeTypeSchema = z.enum(EXTENSION_CHANGE_TYPES).openapi('ExtensionChangeType', {
  description:
    'An event type added beyond the contract. `licence_changed`: the practice licence’s number, subjects or surgery level ' +
    'changed (`before`/`after`: `{licenceNumber, subjects, surgeryLevel}`). Sent to readers that do not filter by type and to ' +
    'those that name it in `type`; a reader filtering by other types never receives it. Skip types you do not know.',
  'x-extension': true,
});

/** More entries than there are event types can only be repeats: refused before any is checked. */
export const MAX_TYPES_LISTED = CHANGE_TYPES.length * 2;

/** `type=published,downgraded`: a comma-separated list of event types; each unknown one is named. */
export const ChangeTypesQuery = z
  .string()
  .max(400)
  .optional()
  .transform((value, ctx): ChangeType[] | undefined => {
    if (value === undefined) return undefined;
    const listed = value.split(',');
    if (listed.length > MAX_TYPES_LISTED) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_TYPES_LISTED} event types may be listed` });
      return z.NEVER;
    }
    const parts = [...new Set(listed.map((s) => s.trim()))].filter((s) => s !== '');
    const unknown = parts.filter((p) => !(CHANGE_TYPES as readonly string[]).includes(p));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown event type ${unknown.map((u) => `"${u}"`).join(', ')}; allowed: ${CHANGE_TYPES.join(', ')}`,
      });
      return z.NEVER;
    }
    return parts.length > 0 ? (parts as ChangeType[]) : undefined;
  })
  .openapi({
    param: { name: 'type', in: 'query' },
    example: 'published,downgraded',
    description: `comma-separated event types: ${CHANGE_TYPES.join(', ')}`,
  });

export const ChangesQuery = z.object({
  since: z
    .string()
    .max(2048)
    .optional()
    .openapi({
      param: { name: 'since', in: 'query' },
      description:
        'the `nextCursor` of the previous page; absent = from the first event; `now` = start at the newest event (nothing older)',
    }),
  limit: LimitQuery,
  type: ChangeTypesQuery,
  district: DistrictSchema.optional().openapi({ param: { name: 'district', in: 'query' } }),
});

export const ChangeEventSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: 'sequence number in the feed, as a string; increases by one per event' }),
    type: z.union([ChangeTypeSchema, ExtensionChangeTypeSchema]),
    typeLabel: z.string().openapi({ example: '量化分级结果公布' }),
    uscc: z.string(),
    district: DistrictSchema,
    occurredAt: z.string().openapi({ example: '2026-11-20T15:00:00+08:00' }),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    publicity: z
      .object({
        resultId: z.string(),
        proposedGrade: GradeSchema,
        proposedGradeLabel: z.string(),
        startOn: LocalDateSchema,
        endOn: LocalDateSchema,
        stage: PublicityStageSchema,
      })
      .optional()
      .openapi({
        description:
          'Only on a `publicity_started` event whose result is still in publicity: where that publicity stands today, ' +
          'as the institution page shows it (absent once the result is published or withdrawn). Unlike the rest of the event it changes over time.',
      }),
  })
  .openapi('ChangeEvent');

export const ChangesPageSchema = z
  .object({
    items: z.array(ChangeEventSchema),
    nextCursor: z.string().openapi({
      description:
        'where to resume (pass as `since`); never null, also at the end of the feed, so a poller keeps its place',
    }),
    more: z.boolean().openapi({ description: 'true: more events are already waiting, ask again at once' }),
  })
  .openapi('ChangesPage');

export const PublicityQuery = z.object({
  limit: LimitQuery,
  cursor: z
    .string()
    .max(2048)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: '`nextCursor` of the previous page' }),
});

export const PublicityItemSchema = z
  .object({
    resultId: z.string(),
    uscc: z.string(),
    name: z.string(),
    kind: KindSchema,
    kindLabel: z.string(),
    district: DistrictSchema,
    reason: z.enum(['initial', 'review', 'upgrade', 'downgrade']),
    proposedGrade: GradeSchema,
    proposedGradeLabel: z.string(),
    score: z.number(),
    startOn: LocalDateSchema,
    endOn: LocalDateSchema,
    stage: PublicityStageSchema.exclude(['ended']).openapi({
      description:
        'open: objections are taken; unpublishable: a downgrade since the assessment stands over the proposed grade, so this result will not be published (as on the institution page)',
    }),
    pageUrl: z.string(),
    objection: z.object({
      method: z.literal('POST'),
      url: z.string().openapi({
        example: 'https://credit.hangzhou.example/v1/publicity/r-123/objections',
        description: 'absolute URL to POST the objection to',
      }),
      deadline: z.string().openapi({ description: 'end of publicity: 24:00 Asia/Shanghai of `endOn`' }),
      instructions: z.string(),
    }),
  })
  .openapi('PublicityItem');

export const PublicityPageSchema = z
  .object({ items: z.array(PublicityItemSchema), nextCursor: z.string().nullable() })
  .openapi('PublicityPage');
