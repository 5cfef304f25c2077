import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DISCOVERY_RETRY_MS,
  DiscoveryError,
  discoveredKeySet,
  discoveryUrl,
} from '#shared/auth/discovery.ts';
import { createTokenVerifier } from '#shared/auth/verifier.ts';
import { UnauthorizedError } from '#shared/domain/errors.ts';
import { problemFor } from '#shared/http/problem.ts';

const audience = 'yimei-credit';
const REALM = '/realms/hangzhou';
const CERTS = `${REALM}/protocol/openid-connect/certs`;

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: Keys;
let server: Server;
let origin: string;
let issuer: string;
/** Requests the provider received, by path. */
const asked: string[] = [];
/** What the provider's discovery document says (changed by the failure cases). */
let metadata: () => { status: number; body: string };

/** A Keycloak-style provider: the discovery document under the realm, the keys at another path. */
beforeAll(async () => {
  signing = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    asked.push(path);
    const answer =
      path === `${REALM}/.well-known/openid-configuration`
        ? metadata()
        : path === CERTS
          ? { status: 200, body: JSON.stringify({ keys: [jwk] }) }
          : { status: 404, body: '{}' };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}${REALM}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  asked.length = 0;
  metadata = () => ({
    status: 200,
    body: JSON.stringify({ issuer, jwks_uri: `${origin}${CERTS}`, authorization_endpoint: `${issuer}/auth` }),
  });
});

const token = () =>
  new SignJWT({ realm_access: { roles: ['city'] } })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('u-1')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
    .sign(signing.privateKey);

const discovering = (extra: { fetch?: typeof fetch } = {}) =>
  createTokenVerifier({
    issuer,
    audience,
    jwksUrl: discoveryUrl(issuer),
    groupsClaim: 'realm_access.roles',
    ...extra,
  });

async function refusal(verify: Promise<unknown>): Promise<string> {
  const err = await verify.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnauthorizedError);
  expect(problemFor(err).status).toBe(401);
  return (err as Error).message;
}

describe('the JWKS found by OIDC discovery', () => {
  it('builds the discovery address from the issuer, with or without its trailing slash', () => {
    expect(discoveryUrl('https://id.example.cn/realms/hangzhou/')).toBe(
      'https://id.example.cn/realms/hangzhou/.well-known/openid-configuration',
    );
    expect(discoveryUrl('https://id.example.cn')).toBe(
      'https://id.example.cn/.well-known/openid-configuration',
    );
  });

  it('verifies with the keys the document’s jwks_uri names, and reads the document once, not per request', async () => {
    const verifier = discovering();
    for (let i = 0; i < 3; i++) expect((await verifier.verify(await token())).role).toBe('city');
    expect(asked.filter((p) => p.endsWith('/openid-configuration'))).toHaveLength(1);
    expect(asked.filter((p) => p === CERTS)).toHaveLength(1);
  });

  it('keeps an explicit JWKS address as the override: no discovery at all', async () => {
    const verifier = createTokenVerifier({
      issuer,
      audience,
      jwksUrl: `${origin}${CERTS}`,
      groupsClaim: 'realm_access.roles',
    });
    expect((await verifier.verify(await token())).role).toBe('city');
    expect(asked).toEqual([CERTS]);
  });

  it.each([
    ['answers 500', () => ({ status: 500, body: '{}' })],
    ['is not JSON', () => ({ status: 200, body: '<html>' })],
    ['has no jwks_uri', () => ({ status: 200, body: JSON.stringify({ issuer }) })],
    [
      'names another issuer',
      () => ({
        status: 200,
        body: JSON.stringify({ issuer: 'https://evil.example', jwks_uri: `${origin}${CERTS}` }),
      }),
    ],
  ])('refuses with 401, not 500, when the document %s', async (_case, answer) => {
    metadata = answer;
    expect(await refusal(discovering().verify(await token()))).toBe(
      "invalid token: the identity provider's keys could not be fetched",
    );
    expect(asked).not.toContain(CERTS);
  });

  it('refuses with 401 when the provider cannot be reached', async () => {
    const unreachable: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await refusal(discovering({ fetch: unreachable }).verify(await token()))).toBe(
      "invalid token: the identity provider's keys could not be fetched",
    );
  });

  it('asks a provider that failed again only after the retry interval, then recovers', async () => {
    let down = true;
    let calls = 0;
    let clock = 1_000_000;
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      if (down) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const keys = discoveredKeySet(discoveryUrl(issuer), { issuer, fetch: flaky, now: () => clock });
    const header = { alg: 'RS256', kid: 'k1' };
    const jws = { payload: '', signature: '' };
    await expect(keys(header, jws)).rejects.toBeInstanceOf(DiscoveryError);
    down = false;
    clock += DISCOVERY_RETRY_MS - 1;
    await expect(keys(header, jws)).rejects.toThrow(/did not answer a moment ago/);
    expect(calls).toBe(1);
    clock += 1;
    await expect(keys(header, jws)).resolves.toBeDefined();
    await expect(keys(header, jws)).resolves.toBeDefined();
    expect(calls).toBe(2);
  });
});
