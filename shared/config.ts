import * as z from 'zod';
import { arn, ConfigurationError, parseEnvironment, TABLE_VARIABLES, text, wholeNumber } from './env.ts';

/**
 * The service's configuration, parsed once at cold start. A missing or malformed variable fails
 * loudly here instead of surfacing later as an empty string.
 */
const ConfigSchema = z.object({
  ...TABLE_VARIABLES,
  /** Base of the public pages, used in QR codes and feed links. */
  PUBLIC_BASE_URL: z.url(),
  /**
   * HMAC key for list cursors: a tampered cursor is refused. In AWS the functions get CURSOR_SECRET_ARN
   * instead and read the value from Secrets Manager once per cold start (secrets/cold-start.ts).
   */
  CURSOR_SECRET: z.string().min(16),
  /**
   * The value CloudFront sends as `x-origin-verify` (global profile; read like CURSOR_SECRET, by
   * ORIGIN_VERIFY_SECRET_ARN): a request without it did not come through CloudFront and its WAF. Unset
   * locally and in the China profile, where nothing is checked.
   */
  ORIGIN_VERIFY_SECRET: z.string().min(16).optional(),
  /**
   * Proof-of-work difficulty of an objection (ALTCHA maxnumber: about half as many SHA-256 hashes on
   * the objector's device). 50,000 takes a phone well under a second, a flood of thousands minutes.
   */
  OBJECTION_POW_MAX_NUMBER: wholeNumber(1, 10_000_000, 50_000),
  /** A fixed clock (ISO instant) for demonstrations and tests. */
  NOW: z.iso.datetime({ offset: true }).optional(),
  /** JSON with extra holiday years for the working-day calendar (see docs/calendar.md). */
  CALENDAR_OVERRIDES: z.string().optional(),
  JWT_ISSUER: text(),
  JWT_AUDIENCE: text(),
  /**
   * Either a JWKS URL (Cognito in AWS), the provider's OIDC discovery document
   * (`<issuer>/.well-known/openid-configuration`, whose `jwks_uri` is read once), or a shared secret
   * (local only).
   */
  JWT_JWKS_URL: z.url().optional(),
  JWT_SECRET: z.string().min(32).optional(),
  /** The token claim naming the user's groups (roles): Cognito's by default, `groups` for most OIDC providers. */
  JWT_GROUPS_CLAIM: text().default('cognito:groups'),
  /** ICP filing number (备案号), shown in every page footer where the site is served from mainland China. */
  ICP_NUMBER: z.string().min(4).optional(),
  STAGE: z.enum(['local', 'test', 'prod']).default('prod'),
  /** The public SNS topic the feed relay pushes change events to (AWS; locally they go to the notice sink). */
  FEED_TOPIC_ARN: arn().optional(),
  /** The bucket the grades export job writes to, served by the CDN (AWS; locally the data directory). */
  EXPORT_BUCKET: z.string().min(3).optional(),
  /**
   * The bucket holding the register snapshot a cold public instance loads with one GET (AWS; locally
   * the data directory). Unset: a cold instance walks the register rows.
   */
  REGISTER_SNAPSHOT_BUCKET: z.string().min(3).optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = parseEnvironment(ConfigSchema, env);
  if (config.STAGE === 'prod' && config.JWT_SECRET) {
    throw new ConfigurationError('JWT_SECRET (locally minted tokens) is never accepted in prod');
  }
  if (!config.JWT_JWKS_URL && !config.JWT_SECRET) {
    throw new ConfigurationError('one of JWT_JWKS_URL or JWT_SECRET is required');
  }
  return config;
}
