import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as z from 'zod';
import { UnauthorizedError } from '../domain/errors.ts';
import { ROLES, type Role } from '../domain/types.ts';
import { validateUscc } from '../domain/uscc.ts';
import { DistrictSchema } from '../schemas/common.ts';
import { DiscoveryError, discoveredKeySet, isDiscoveryUrl } from './discovery.ts';
import type { Principal } from './principal.ts';

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /**
   * The identity provider's keys: its JWKS (Cognito, global profile), or its OIDC discovery document
   * (`<issuer>/.well-known/openid-configuration`, China profile) whose `jwks_uri` names the JWKS.
   */
  jwksUrl?: string | undefined;
  /** Fetch for the discovery document (tests). */
  fetch?: typeof fetch;
  /**
   * The claim holding the user's groups, from which the role comes: `cognito:groups` (the default),
   * `groups` (Keycloak, Authing), or a dotted path into an object claim such as `realm_access.roles`.
   */
  groupsClaim?: string | undefined;
  /** Shared HS256 secret, local and tests only. */
  secret?: string | undefined;
}

/** Where Cognito puts its groups; other providers are configured with `groupsClaim`. */
export const DEFAULT_GROUPS_CLAIM = 'cognito:groups';

/** Signature algorithms accepted from a JWKS: asymmetric only, as OIDC providers sign (RS256 by default). */
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256'];

/** Local tokens carry `role`; providers carry groups (see groupsOf). Districts and uscc are custom claims. */
const ClaimsSchema = z.object({
  sub: z.string().min(1),
  // Any string: an unknown role is refused below as "no role", and is never read when groups are present.
  role: z.string().optional(),
  district: DistrictSchema.optional(),
  'custom:district': DistrictSchema.optional(),
  uscc: z.string().optional(),
  'custom:uscc': z.string().optional(),
  association: z.string().trim().min(1).max(100).optional(),
  'custom:association': z.string().trim().min(1).max(100).optional(),
});

/**
 * Checks signature, expiry, issuer and audience, then the role claims: a token without a usable role,
 * or a district role without its district, is as good as no token.
 */
export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  const key = opts.jwksUrl
    ? isDiscoveryUrl(opts.jwksUrl)
      ? discoveredKeySet(opts.jwksUrl, { issuer: opts.issuer, ...(opts.fetch ? { fetch: opts.fetch } : {}) })
      : createRemoteJWKSet(new URL(opts.jwksUrl))
    : opts.secret
      ? new TextEncoder().encode(opts.secret)
      : null;
  if (!key) throw new Error('a token verifier needs a JWKS URL or a secret');
  const checks = {
    issuer: opts.issuer,
    audience: opts.audience,
    requiredClaims: ['exp'],
    clockTolerance: CLOCK_LEEWAY_SECONDS,
  };
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        const verified =
          key instanceof Uint8Array
            ? await jwtVerify(token, key, { ...checks, algorithms: ['HS256'] })
            : await jwtVerify(token, key, { ...checks, algorithms: JWKS_ALGORITHMS });
        payload = verified.payload;
      } catch (err) {
        // The answer names the kind of failure only, never the library's own text.
        throw new UnauthorizedError(refusalOf(err));
      }
      const now = Date.now() / 1000;
      if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_LEEWAY_SECONDS) {
        throw new UnauthorizedError('invalid token: issued in the future');
      }
      // Anyone with the data directory can mint a local token: none may outlive a day.
      if (
        key instanceof Uint8Array &&
        (payload.exp ?? 0) > now + LOCAL_TOKEN_MAX_SECONDS + CLOCK_LEEWAY_SECONDS
      ) {
        throw new UnauthorizedError(
          'invalid token: exp more than 24 h ahead; a local token lives at most 24 h',
        );
      }
      // Only locally minted tokens (shared secret) may carry a bare `role`; an identity provider's
      // token gets its role from the groups it manages, whatever else the token says.
      return principalFrom(payload, opts.groupsClaim, { roleClaim: key instanceof Uint8Array });
    },
  };
}

/** The longest life of a locally minted token (`npm run token -- --ttl` refuses more). */
export const LOCAL_TOKEN_MAX_SECONDS = 24 * 3600;

/** Leeway for exp, nbf and iat against the clocks of other machines. */
export const CLOCK_LEEWAY_SECONDS = 60;

function refusalOf(err: unknown): string {
  if (err instanceof DiscoveryError)
    return "invalid token: the identity provider's keys could not be fetched";
  const code = (err as { code?: unknown }).code;
  if (code === 'ERR_JWT_EXPIRED') return 'invalid token: expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = (err as { claim?: unknown }).claim;
    const known = ['exp', 'nbf', 'iat', 'iss', 'aud', 'sub'];
    return typeof claim === 'string' && known.includes(claim)
      ? `invalid token: claim ${claim} missing or not acceptable`
      : 'invalid token: claims not acceptable';
  }
  return 'invalid token';
}

/**
 * The groups a token names under `claim`: the claim itself if the token has a key of that name
 * (`cognito:groups`, or a URL-named claim), else the dotted path into an object claim. An array of
 * strings, or one string of space-separated groups as some providers send.
 */
export function groupsOf(payload: JWTPayload, claim: string): string[] {
  let value: unknown = payload[claim];
  if (value === undefined && claim.includes('.')) {
    value = claim.split('.').reduce<unknown>((node, part) => {
      return node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }, payload);
  }
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  return [];
}

/**
 * The one role mapping of both profiles: a group names a role by its last path segment, so Cognito's
 * `city`, Keycloak's `/yimei-credit/city` and Authing's `city` all mean the role city. The first group
 * that names a role decides; groups that name none are ignored.
 */
export function roleFromGroups(groups: readonly string[]): Role | undefined {
  for (const group of groups) {
    const name = group.split('/').filter(Boolean).at(-1);
    if (name && (ROLES as readonly string[]).includes(name)) return name as Role;
  }
  return undefined;
}

/**
 * The caller from verified claims. The groups claim is authoritative: when a token carries groups,
 * the role is taken from them alone and a free-form `role` claim is never read, so it cannot raise or
 * change the role. `roleClaim: false` (tokens of an identity provider) ignores `role` altogether.
 */
export function principalFrom(
  payload: JWTPayload,
  groupsClaim = DEFAULT_GROUPS_CLAIM,
  opts: { roleClaim: boolean } = { roleClaim: true },
): Principal {
  const parsed = ClaimsSchema.safeParse(payload);
  if (!parsed.success) throw new UnauthorizedError('invalid token: malformed claims');
  const claims = parsed.data;
  const groups = groupsOf(payload, groupsClaim);
  const role =
    groups.length > 0
      ? roleFromGroups(groups)
      : opts.roleClaim
        ? ROLES.find((r) => r === claims.role)
        : undefined;
  if (!role) throw new UnauthorizedError('invalid token: no role');
  const district = claims.district ?? claims['custom:district'];
  const rawUscc = claims.uscc ?? claims['custom:uscc'];
  if ((role === 'district' || role === 'district_admin') && !district) {
    throw new UnauthorizedError(`invalid token: role ${role} needs a district claim`);
  }
  const association = claims.association ?? claims['custom:association'];
  if (role === 'association' && !association) {
    throw new UnauthorizedError('invalid token: role association needs an association claim');
  }
  let uscc: string | undefined;
  if (role === 'institution') {
    const checked = rawUscc ? validateUscc(rawUscc) : null;
    if (!checked?.ok) throw new UnauthorizedError('invalid token: role institution needs a valid uscc claim');
    uscc = checked.uscc;
  }
  return {
    subject: claims.sub,
    role,
    ...(district && (role === 'district' || role === 'district_admin') ? { district } : {}),
    ...(uscc ? { uscc } : {}),
    ...(role === 'association' && association ? { association } : {}),
  };
}
