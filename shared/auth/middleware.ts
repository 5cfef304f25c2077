import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../domain/errors.ts';
import type { Principal } from './principal.ts';
import type { TokenVerifier } from './verifier.ts';

export type AuthEnv = { Variables: { principal: Principal } };

/** Requires `Authorization: Bearer <jwt>` and puts the verified principal on the context. */
export function requireAuth(verifier: TokenVerifier): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('missing bearer token');
    c.set('principal', await verifier.verify(match[1]));
    await next();
  };
}
