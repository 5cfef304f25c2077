import { SignJWT } from 'jose';
import type { District, Role } from '../domain/types.ts';

/** Signs an HS256 token with the local secret (local server and tests; refused in production). */
export async function mintLocalToken(opts: {
  secret: string;
  issuer: string;
  audience: string;
  role: Role;
  subject?: string;
  district?: District;
  uscc?: string;
  association?: string;
  ttlSeconds?: number;
  now?: Date;
}): Promise<string> {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, string> = { role: opts.role };
  if (opts.district) claims.district = opts.district;
  if (opts.uscc) claims.uscc = opts.uscc;
  if (opts.association) claims.association = opts.association;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.subject ?? `local-${opts.role}`)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.ttlSeconds ?? 12 * 3600))
    .sign(new TextEncoder().encode(opts.secret));
}
