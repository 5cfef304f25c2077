import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import * as z from 'zod';

/** Where OpenID Connect Discovery 1.0 puts a provider's metadata, under its issuer. */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** `<issuer>/.well-known/openid-configuration`, the issuer's trailing slash dropped as the spec asks. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}${DISCOVERY_PATH}`;
}

/** Is this keys address the discovery document rather than a JWKS? */
export function isDiscoveryUrl(url: string): boolean {
  return new URL(url).pathname.endsWith(DISCOVERY_PATH);
}

/** A provider that does not answer is asked again after this long, not on every request meanwhile. */
export const DISCOVERY_RETRY_MS = 30_000;
const DISCOVERY_TIMEOUT_MS = 5_000;

const Metadata = z.object({ issuer: z.string(), jwks_uri: z.url() });

/** The provider's keys could not be located; the verifier answers 401, never 500. */
export class DiscoveryError extends Error {
  constructor(detail: string) {
    super(`OIDC discovery failed: ${detail}`);
    this.name = 'DiscoveryError';
  }
}

export interface DiscoveryOptions {
  /** The token issuer the document must name (OIDC Discovery §4.3). */
  issuer: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * The key set of the provider whose discovery document is at `url`: the document is read once, on the
 * first token, and its `jwks_uri` (Keycloak's `/protocol/openid-connect/certs`, Cognito's
 * `/.well-known/jwks.json`, …) is kept for the life of the instance; jose's remote key set then caches
 * the keys and refetches them on an unknown `kid`. A failed discovery is remembered for
 * DISCOVERY_RETRY_MS, so a provider that is down is not asked once per request.
 */
export function discoveredKeySet(url: string, opts: DiscoveryOptions): JWTVerifyGetKey {
  const fetcher = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  let keys: Promise<JWTVerifyGetKey> | null = null;
  let failedAt = Number.NEGATIVE_INFINITY;

  const discover = async (): Promise<JWTVerifyGetKey> => {
    let res: Response;
    try {
      res = await fetcher(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      });
    } catch (err) {
      throw new DiscoveryError(`${url} did not answer (${(err as Error).message})`);
    }
    if (!res.ok) throw new DiscoveryError(`${url} answered ${res.status}`);
    const parsed = Metadata.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new DiscoveryError(`${url} is not a discovery document with jwks_uri`);
    if (parsed.data.issuer.replace(/\/+$/, '') !== opts.issuer.replace(/\/+$/, ''))
      throw new DiscoveryError(`${url} names issuer ${parsed.data.issuer}, not ${opts.issuer}`);
    return createRemoteJWKSet(new URL(parsed.data.jwks_uri));
  };

  return async (header, token) => {
    if (!keys) {
      if (now() - failedAt < DISCOVERY_RETRY_MS)
        throw new DiscoveryError('the provider did not answer a moment ago');
      keys = discover().catch((err: unknown) => {
        keys = null;
        failedAt = now();
        // The caller gets a 401; the operator needs the reason, once per attempt.
        console.error(JSON.stringify({ level: 'error', message: (err as Error).message }));
        throw err;
      });
    }
    return (await keys)(header, token);
  };
}
