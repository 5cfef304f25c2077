import * as z from 'zod';

/**
 * The one parser of environment variables the configurations share (`config.ts`, `notify/config.ts`,
 * `notify/senders.ts`): each declares its variables as a schema of the kinds below and parses it once
 * at cold start; a missing or malformed variable fails loudly, named, instead of surfacing later.
 */

/** A configuration that cannot work, worded `invalid configuration: …` naming the variable. */
export class ConfigurationError extends Error {
  constructor(problem: string) {
    super(`invalid configuration: ${problem}`);
    this.name = 'ConfigurationError';
  }
}

/** Parses `env` with `schema`; one error names every variable at fault: `invalid configuration: NAME: problem; …`. */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** A setting the caller cannot work without, from a configuration where it is optional. */
export function requireSetting<C extends object, K extends keyof C>(config: C, key: K): NonNullable<C[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigurationError(`${String(key)} is required`);
  return value as NonNullable<C[K]>;
}

/** Text that must not be empty. */
export const text = () => z.string().min(1);

/** An AWS resource name. */
export const arn = () => z.string().startsWith('arn:');

/** A whole number from `min` to `max`, `fallback` when unset. */
export const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** JSON checked by `schema`; text that is not JSON is refused saying what it should look like. */
export function json<T extends z.ZodType>(looksLike: string, schema: T) {
  return z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON ${looksLike}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** The variables of every function that opens the table. */
export const TABLE_VARIABLES = {
  TABLE_NAME: text(),
  /** Set locally to the in-process DynamoDB server; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: text().default('cn-north-1'),
};
