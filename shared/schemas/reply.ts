import { z } from '@hono/zod-openapi';
import { REPLY_MAX_CHARS } from '../domain/reply.ts';
import { GradeSchema, LocalDateSchema, text } from './common.ts';
import { ReplySchema } from './institution.ts';

/** Shapes of an institution's statement about its grade (its right to reply) and of its decision. */

const TOO_LONG = `at most ${REPLY_MAX_CHARS} characters (最多${REPLY_MAX_CHARS}字)`;

export const ReplyRequestSchema = z
  .object({
    text: text()
      .min(1, 'the statement needs a text')
      .refine((v) => Array.from(v).length <= REPLY_MAX_CHARS, TOO_LONG)
      .openapi({
        description: `the institution's statement about its grade, in its own words: one paragraph, ${TOO_LONG}`,
        maxLength: REPLY_MAX_CHARS,
        example: '我院已于2026年12月完成整改，欢迎监督。',
      }),
  })
  .strict()
  .openapi('ReplyRequest');

export const ReplyDecisionSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(120)
      .openapi({ description: 'the statement decided (`id` of the statement read)' }),
    outcome: z.enum(['approved', 'refused']),
    reason: text().min(1).max(500).optional().openapi({
      description: 'required when refused: told to the institution; a note when approved',
    }),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.outcome === 'refused' && d.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required when the outcome is refused' });
    }
  })
  .openapi('ReplyDecision');

export const ReplyStatementSchema = z
  .looseObject({
    id: z.string(),
    uscc: z.string(),
    text: z.string(),
    resultId: z.string().openapi({ description: 'the result whose grade it is about' }),
    grade: GradeSchema.openapi({ description: 'the grade it is about' }),
    status: z.enum(['pending', 'approved', 'refused']),
    standing: z.enum(['pending', 'approved', 'refused', 'lapsed']).openapi({
      description:
        'where it stands today; lapsed: pending or approved about a grade that is no longer current (a result was ' +
        'published or a downgrade took effect since), so it is not shown and cannot be approved: submit a new one',
    }),
    submittedOn: LocalDateSchema,
    submittedAt: z.string(),
    decidedOn: LocalDateSchema.nullable(),
    decisionReason: z.string().nullable(),
    shown: ReplySchema.nullable().openapi({ description: 'what the public page shows now (null: nothing)' }),
  })
  .openapi('ReplyStatement', {
    description:
      "An institution's latest statement about its grade. Regulators see who decided it; the institution does not.",
  });
