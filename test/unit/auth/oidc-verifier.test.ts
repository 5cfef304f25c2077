import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, groupsOf, roleFromGroups } from '#shared/auth/verifier.ts';
import { UnauthorizedError } from '#shared/domain/errors.ts';

const issuer = 'https://id.example.cn/realms/hangzhou';
const audience = 'yimei-credit';
const now = () => Math.floor(Date.now() / 1000);

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: Keys;
let stranger: Keys;
let server: Server;
let jwksUrl: string;

/** A local JWKS endpoint, as an OIDC provider serves it: the public key only, with its kid. */
beforeAll(async () => {
  signing = await generateKeyPair('RS256');
  stranger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function token(
  claims: JWTPayload,
  opts: { key?: Keys; iss?: string; aud?: string; exp?: number; kid?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
    .setSubject('u-42')
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? now() + 600)
    .sign((opts.key ?? signing).privateKey);
}

const oidc = (groupsClaim: string) => createTokenVerifier({ issuer, audience, jwksUrl, groupsClaim });

async function refusal(verify: Promise<unknown>): Promise<string> {
  const err = await verify.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnauthorizedError);
  return (err as Error).message;
}

describe('the verifier against an OIDC provider JWKS', () => {
  it('takes the role from the configured groups claim and the district from its claim', async () => {
    const principal = await oidc('groups').verify(
      await token({ groups: ['staff', '/yimei-credit/district'], district: '西湖区' }),
    );
    expect(principal).toEqual({ subject: 'u-42', role: 'district', district: '西湖区' });
  });

  it('reads a dotted path into an object claim (Keycloak realm roles)', async () => {
    const principal = await oidc('realm_access.roles').verify(
      await token({ realm_access: { roles: ['offline_access', 'guidance'] } }),
    );
    expect(principal.role).toBe('guidance');
  });

  it('refuses a token whose groups name no role, or whose role sits under another claim', async () => {
    expect(await refusal(oidc('groups').verify(await token({ groups: ['staff'] })))).toBe(
      'invalid token: no role',
    );
    expect(await refusal(oidc('groups').verify(await token({ roles: ['city'] })))).toBe(
      'invalid token: no role',
    );
  });

  it('checks the signature against the JWKS', async () => {
    const forged = await token({ groups: ['city'] }, { key: stranger });
    expect(await refusal(oidc('groups').verify(forged))).toBe('invalid token');
  });

  it('checks issuer, audience and expiry', async () => {
    const v = oidc('groups');
    expect(await refusal(v.verify(await token({ groups: ['city'] }, { iss: 'https://evil.example' })))).toBe(
      'invalid token: claim iss missing or not acceptable',
    );
    expect(await refusal(v.verify(await token({ groups: ['city'] }, { aud: 'another-app' })))).toBe(
      'invalid token: claim aud missing or not acceptable',
    );
    expect(await refusal(v.verify(await token({ groups: ['city'] }, { exp: now() - 3600 })))).toBe(
      'invalid token: expired',
    );
    await expect(v.verify(await token({ groups: ['city'] }))).resolves.toMatchObject({ role: 'city' });
  });

  it('requires an institution token to carry a valid uscc', async () => {
    const v = oidc('groups');
    expect(await refusal(v.verify(await token({ groups: ['institution'], uscc: '123' })))).toContain('uscc');
  });
});

describe('the role mapping shared by both profiles', () => {
  it('maps Cognito, Keycloak and Authing group names to the same role', () => {
    expect(roleFromGroups(['city'])).toBe('city');
    expect(roleFromGroups(['/yimei-credit/district_admin'])).toBe('district_admin');
    expect(roleFromGroups(['admins', 'institution'])).toBe('institution');
    expect(roleFromGroups(['admins', 'cityhall'])).toBeUndefined();
  });

  it('reads groups as an array, a space-separated string, a URL-named claim or a dotted path', () => {
    expect(groupsOf({ 'cognito:groups': ['city'] }, 'cognito:groups')).toEqual(['city']);
    expect(groupsOf({ groups: 'city guidance' }, 'groups')).toEqual(['city', 'guidance']);
    expect(groupsOf({ 'https://hz.gov.cn/groups': ['city'] }, 'https://hz.gov.cn/groups')).toEqual(['city']);
    expect(groupsOf({ realm_access: { roles: ['guidance', 7] } }, 'realm_access.roles')).toEqual([
      'guidance',
    ]);
    expect(groupsOf({ groups: 42 }, 'groups')).toEqual([]);
  });
});
