import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { bearerPrincipal } from '../auth/middleware.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.ts';
import { authorise, grantOf, type OperationId, PUBLIC } from '../domain/permissions.ts';
import { validateUscc } from '../domain/uscc.ts';
import { operationIdFor } from './operation-ids.ts';

/** A documented operation: its id and its path as the OpenAPI document writes it. */
interface Operation {
  id: string;
  path: string;
}

/** Every documented operation of `app`, by `METHOD /hono/:path`. */
function operationsOf(app: OpenAPIHono<never>): Map<string, Operation> {
  const byRoute = new Map<string, Operation>();
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    const { method, path, operationId } = def.route;
    const honoPath = path.replace(/\{([^}]+)\}/g, ':$1');
    byRoute.set(`${method.toUpperCase()} ${honoPath}`, {
      id: operationId ?? operationIdFor(method, path),
      path,
    });
  }
  return byRoute;
}

/** The documented operation the request reached, if any (pages, `/health` and unknown paths are none). */
function operationOf(c: Context, operations: Map<string, Operation>): Operation | undefined {
  for (const route of matchedRoutes(c)) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: no operation's key starts with ALL, so the lookup below misses middleware anyway
    if (route.method === 'ALL') continue;
    const op = operations.get(`${route.method} ${route.path}`);
    if (op) return op;
  }
  return undefined;
}

/** The `{uscc}` segment of the request path, when the operation's path has one and it is a valid code. */
function usccInPath(requestPath: string, templatePath: string): string | undefined {
  const template = templatePath.split('/');
  const at = template.indexOf('{uscc}');
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without {uscc} the index is -1, whose segment is undefined below; 0 is the empty segment before the first /
  if (at < 0) return undefined;
  const segment = requestPath.split('/')[at];
  // Stryker disable next-line ConditionalExpression: the route matched, so the path has the template's segments; "undefined" would fail the check anyway
  if (segment === undefined) return undefined;
  let decoded: string | undefined;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // An undecodable segment stays undefined, which validateUscc refuses.
  }
  const checked = validateUscc(decoded);
  return checked.ok ? checked.uscc : undefined;
}

/**
 * The one point where the permission table (shared/domain/permissions.ts) is enforced, before any
 * handler runs: the operation the request reached is looked up by its operationId; public ones pass,
 * an unknown one is refused, and any other needs a bearer token whose role the table lets call it
 * (an institution only on its own `{uscc}`). The verified principal is put on the context.
 */
export function permissions(app: OpenAPIHono<never>, verifier: TokenVerifier | undefined): MiddlewareHandler {
  // Built at the first request: every route is mounted by then.
  let operations: Map<string, Operation> | undefined;
  return async (c, next) => {
    operations ??= operationsOf(app);
    const op = operationOf(c, operations);
    if (!op) return next();
    const grant = grantOf(op.id);
    if (grant === undefined) throw new ForbiddenError(`${op.id} is not in the permission table`);
    if (grant === PUBLIC) return next();
    if (!verifier) throw new UnauthorizedError('this service takes no tokens');
    const principal = await bearerPrincipal(c, verifier);
    const uscc = usccInPath(c.req.path, op.path);
    const verdict = authorise(op.id as OperationId, principal, uscc ? { uscc } : {});
    if (!verdict.allowed) throw new ForbiddenError(verdict.reason);
    c.set('principal', principal);
    return next();
  };
}
