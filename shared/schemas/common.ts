import { z } from '@hono/zod-openapi';
import { isValidDate } from '../domain/dates.ts';
import { districtNames, isDistrict } from '../domain/rules.ts';
import { UNSAFE_TEXT_MESSAGE, unsafeCharacter } from '../domain/text.ts';
import { GRADES, KINDS } from '../domain/types.ts';
import { USCC_CHARSET, usccCheckCharacter, validateUscc } from '../domain/uscc.ts';

/** Shared request and response shapes; the OpenAPI document is generated from these. */

/** A uscc wherever it arrives: trimmed, upper-cased, and checked to its check character. */
export const UsccString = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const checked = validateUscc(value);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: checked.message });
      return z.NEVER;
    }
    return checked.uscc;
  });

/** A code as documented: its canonical form (the service also accepts lower case and full-width forms). */
export const USCC_PATTERN = `^[${USCC_CHARSET.replace(/[0-9]+/, '0-9')}]{18}$`;
/** A real-looking code whose check character is computed, so the example always validates. */
export const USCC_EXAMPLE = `91330106MA2CFXKQ1${usccCheckCharacter('91330106MA2CFXKQ1')}`;

const USCC_DOC = {
  example: USCC_EXAMPLE,
  pattern: USCC_PATTERN,
  minLength: 18,
  maxLength: 18,
  description:
    '统一社会信用代码：18 位，第 18 位为校验码（GB 32100-2015）。18-character unified social credit code; ' +
    'the 18th character is its check character. Lower case and full-width characters are normalised.',
};

export const UsccParam = UsccString.openapi({ param: { name: 'uscc', in: 'path' }, ...USCC_DOC });

/** A uscc in a body: checked and normalised like the path parameter. */
export const UsccBody = UsccString.openapi(USCC_DOC);

/** Stored text: trimmed, without control or bidirectional-override characters. */
export const text = () =>
  z
    .string()
    .trim()
    .refine((value) => unsafeCharacter(value) === null, UNSAFE_TEXT_MESSAGE);

/**
 * A number with a range and a precision: finite, from `min` to `max`, with at most `places` decimals
 * (`finer: 'rounded'`: more decimals are accepted, the service rounds them, but a non-zero value must
 * not round to 0). DynamoDB keeps numbers from 1e-130 to 1e126, so a value like 1e-300 that a plain
 * range lets through would fail at the write; the precision refuses it here, naming the field. -0 is 0.
 */
export const decimalNumber = ({
  min,
  max,
  places,
  finer = 'refused',
}: {
  min: number;
  max: number;
  places: number;
  finer?: 'refused' | 'rounded';
}) => {
  const message =
    finer === 'refused'
      ? `a number from ${min} to ${max} with at most ${places} decimals`
      : `a number from ${min} to ${max}, rounded to ${places} decimals; not 0 once rounded unless it is 0`;
  const fits =
    finer === 'refused'
      ? (value: number) => Number(value.toFixed(places)) === value
      : (value: number) => value === 0 || Number(value.toFixed(places)) !== 0;
  return z
    .number({ message })
    .min(min, { message })
    .max(max, { message })
    .refine(fits, { message })
    .openapi({ minimum: min, maximum: max, description: message });
};

export const GradeSchema = z.enum(GRADES).openapi('Grade');
export const KindSchema = z.enum(KINDS).openapi('Kind');
/** One of the running rulebook's districts, checked when a value arrives (the rulebook is chosen at start-up). */
export const DistrictSchema = z
  .string()
  .refine((value) => isDistrict(value), {
    error: () => `district must be one of ${districtNames().join(' ')}`,
  })
  .openapi('District', { description: "a county-level division of the rulebook's city (GET /v1/stats)" });
export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(isValidDate, 'not a calendar date')
  .openapi({ example: '2026-05-20' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});
