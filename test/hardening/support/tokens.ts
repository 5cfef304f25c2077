import { SignJWT } from 'jose';
import { mintLocalToken } from '#shared/auth/mint.ts';
import type { District } from '#shared/domain/types.ts';
import { TEST_JWT_SECRET, testConfig } from '../../support/config.ts';
import type { TokenPool } from '../openapi-requests.ts';

/** A city token with `alg: none` and no signature, valid for an hour from `now` (seconds) but for that. */
export function unsignedCityToken(config: { JWT_ISSUER: string; JWT_AUDIENCE: string }, now: number): string {
  const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
  const claims = Buffer.from(
    JSON.stringify({
      role: 'city',
      sub: 'x',
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
      exp: now + 3600,
    }),
  ).toString('base64url');
  return `${header}.${claims}.`;
}

/**
 * Valid tokens of every role (districts and an institution taken from the data under test) and bad
 * ones: expired, signed with another secret, without a role, for another audience, unsigned, garbage.
 */
export async function tokenPool(opts: {
  district: District;
  otherDistrict: District;
  uscc: string;
}): Promise<TokenPool> {
  const config = testConfig();
  const base = { secret: TEST_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
  const valid = await Promise.all([
    mintLocalToken({ ...base, role: 'city' }),
    mintLocalToken({ ...base, role: 'guidance' }),
    mintLocalToken({ ...base, role: 'district', district: opts.district }),
    mintLocalToken({ ...base, role: 'district', district: opts.otherDistrict }),
    mintLocalToken({ ...base, role: 'district_admin', district: opts.district }),
    mintLocalToken({ ...base, role: 'district_admin', district: opts.otherDistrict }),
    mintLocalToken({ ...base, role: 'institution', uscc: opts.uscc }),
  ]);
  const key = new TextEncoder().encode(TEST_JWT_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const unsigned = unsignedCityToken(config, now);
  const bad = await Promise.all([
    mintLocalToken({ ...base, role: 'city', now: new Date(Date.now() - 48 * 3600_000), ttlSeconds: 3600 }),
    mintLocalToken({ ...base, secret: 'another-secret-of-sufficient-length-000', role: 'city' }),
    mintLocalToken({ ...base, audience: 'someone-else', role: 'city' }),
    mintLocalToken({ ...base, issuer: 'https://evil.test', role: 'city' }),
    // A district role without its district, an institution without a valid uscc.
    mintLocalToken({ ...base, role: 'district' }),
    mintLocalToken({ ...base, role: 'institution', uscc: '91330106MA2CFXKQ1O' }),
    new SignJWT({ sub: 'no-role' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key),
    new SignJWT({ sub: 'x', role: 'superuser' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key),
    Promise.resolve(unsigned),
    Promise.resolve('garbage'),
    Promise.resolve('a.b.c'),
    Promise.resolve('eyJhbGciOiJIUzI1NiJ9.e30.'),
    Promise.resolve('x'.repeat(10_000)),
  ]);
  return { valid, bad };
}
