import { Hono } from 'hono';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { requireAuth } from '#shared/auth/middleware.ts';
import { createTokenVerifier, principalFrom } from '#shared/auth/verifier.ts';
import { UnauthorizedError } from '#shared/domain/errors.ts';
import { problemFor, sendProblem } from '#shared/http/problem.ts';

const secret = 'unit-test-secret-for-tokens-000000000';
const issuer = 'https://issuer.test';
const audience = 'yimei-credit-test';
const verifier = createTokenVerifier({ issuer, audience, secret });
const now = () => Math.floor(Date.now() / 1000);

function token(claims: { exp?: number; nbf?: number; iat?: number }): Promise<string> {
  let jwt = new SignJWT({ role: 'city' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u1')
    .setIssuer(issuer)
    .setAudience(audience);
  if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
  if (claims.nbf !== undefined) jwt = jwt.setNotBefore(claims.nbf);
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  return jwt.sign(new TextEncoder().encode(secret));
}

async function refusal(t: Promise<string>): Promise<string> {
  try {
    await verifier.verify(await t);
  } catch (err) {
    expect(err).toBeInstanceOf(UnauthorizedError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('token checks', () => {
  it('requires exp', async () => {
    expect(await refusal(token({ iat: now() }))).toBe('invalid token: claim exp missing or not acceptable');
  });

  it('refuses a local token that lives longer than 24 h, exp in 9999 included', async () => {
    const day = 24 * 3600;
    await expect(verifier.verify(await token({ exp: now() + day }))).resolves.toMatchObject({ role: 'city' });
    const detail = 'invalid token: exp more than 24 h ahead; a local token lives at most 24 h';
    expect(await refusal(token({ exp: now() + day + 120 }))).toBe(detail);
    expect(await refusal(token({ exp: Date.UTC(9999, 0, 1) / 1000, iat: now() }))).toBe(detail);
  });

  it('honours nbf and iat with 60 s of leeway', async () => {
    await expect(verifier.verify(await token({ exp: now() + 600, nbf: now() + 30 }))).resolves.toMatchObject({
      role: 'city',
    });
    expect(await refusal(token({ exp: now() + 600, nbf: now() + 600 }))).toContain('nbf');
    await expect(verifier.verify(await token({ exp: now() + 600, iat: now() + 30 }))).resolves.toBeTruthy();
    expect(await refusal(token({ exp: now() + 600, iat: now() + 600 }))).toBe(
      'invalid token: issued in the future',
    );
    await expect(verifier.verify(await token({ exp: now() - 30 }))).resolves.toBeTruthy();
    expect(await refusal(token({ exp: now() - 600 }))).toBe('invalid token: expired');
  });

  it('never echoes the library text and answers 401 with WWW-Authenticate: Bearer', async () => {
    const app = new Hono();
    app.onError((err, c) => sendProblem(c, problemFor(err)));
    app.use('*', requireAuth(verifier));
    app.get('/x', (c) => c.text('ok'));
    for (const auth of ['', 'Bearer not.a.jwt', `Bearer ${await token({ exp: now() - 600 })}`]) {
      const res = await app.request('/x', { headers: auth ? { Authorization: auth } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const text = await res.text();
      expect(text).not.toMatch(/"exp" claim|JWS|JWT|timestamp check failed|Invalid Compact/i);
    }
  });
});

describe('role claims', () => {
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u2')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(now() + 600)
      .sign(new TextEncoder().encode(secret));

  it('takes the role from the groups claim, never from a role claim beside it', async () => {
    const p = await verifier.verify(await sign({ 'cognito:groups': ['guidance'], role: 'city' }));
    expect(p.role).toBe('guidance');
    // Groups without any role: no role, whatever `role` says.
    expect(await refusal(sign({ 'cognito:groups': ['staff'], role: 'city' }))).toBe('invalid token: no role');
    expect(await refusal(sign({ role: 'superuser' }))).toBe('invalid token: no role');
  });

  it('ignores a bare role claim in an identity provider token', () => {
    expect(() => principalFrom({ sub: 'x', role: 'city' }, undefined, { roleClaim: false })).toThrow(
      'no role',
    );
    expect(principalFrom({ sub: 'x', role: 'city' }).role).toBe('city');
    expect(
      principalFrom({ sub: 'x', 'cognito:groups': ['city'] }, undefined, { roleClaim: false }).role,
    ).toBe('city');
  });
});
