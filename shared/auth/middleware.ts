import type { Context, MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../domain/errors.ts';
import type { Principal } from './principal.ts';
import type { TokenVerifier } from './verifier.ts';

export type AuthEnv = { Variables: { principal: Principal } };

/** The verified principal of `Authorization: Bearer <jwt>`; 401 without a valid one. */
export async function bearerPrincipal(c: Context, verifier: TokenVerifier): Promise<Principal> {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new UnauthorizedError('missing bearer token');
  return verifier.verify(match[1]);
}

/** Requires a bearer token and puts the verified principal on the context. */
export function requireAuth(verifier: TokenVerifier): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set('principal', await bearerPrincipal(c, verifier));
    await next();
  };
}
