import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth/principal.ts';
import type { TokenVerifier } from '#shared/auth/verifier.ts';
import { UnauthorizedError } from '#shared/domain/errors.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { permissions } from '#shared/http/permissions.ts';
import { problemFor, sendProblem } from '#shared/http/problem.ts';
import { UsccParam } from '#shared/schemas/common.ts';

const OWN = makeUscc('91330106MA0000001');
const OTHER = makeUscc('91330106MA0000002');

/** Tokens are the principal's JSON: enough to exercise the table without signing anything. */
const verifier: TokenVerifier = {
  verify: async (token) => {
    try {
      return JSON.parse(Buffer.from(token, 'base64url').toString()) as Principal;
    } catch {
      throw new UnauthorizedError('bad token');
    }
  },
};
const tokenOf = (p: Principal) => Buffer.from(JSON.stringify(p)).toString('base64url');
const institution = tokenOf({ subject: 'i', role: 'institution', uscc: OWN });
const city = tokenOf({ subject: 'c', role: 'city' });

const whoAmI = (c: { get(k: 'principal'): Principal | undefined; json(v: unknown): Response }) =>
  c.json({ subject: c.get('principal')?.subject ?? null });

/** A few operations of the table, mounted as the service mounts them, behind the permission check. */
function app(withVerifier = true) {
  const a = new OpenAPIHono<{ Variables: { principal: Principal } }>();
  a.onError((err, c) => sendProblem(c, problemFor(err)));
  a.use('*', permissions(a as never, withVerifier ? verifier : undefined));
  // A GET handler in front of the operations (a cache policy, say) is no operation of its own.
  a.get('/v1/*', async (_c, next) => next());
  const ok = { 200: { description: 'ok' } };
  const params = z.object({ uscc: UsccParam });
  // Public.
  a.openapi(
    createRoute({ method: 'get', path: '/v1/institutions/{uscc}', request: { params }, responses: ok }),
    whoAmI as never,
  );
  // An institution, on itself only.
  a.openapi(
    createRoute({
      method: 'put',
      path: '/v1/institutions/{uscc}/contacts',
      request: { params },
      responses: ok,
    }),
    whoAmI as never,
  );
  // Regulators, with the id given rather than derived from the path.
  a.openapi(
    createRoute({ method: 'get', path: '/v1/elsewhere', operationId: 'getV1AdminAudit', responses: ok }),
    whoAmI as never,
  );
  // Documented, but in no row of the table.
  a.openapi(createRoute({ method: 'get', path: '/v1/unlisted', responses: ok }), whoAmI as never);
  // Not an operation at all (a page, /health).
  a.get('/page', whoAmI as never);
  return a;
}

async function call(method: string, path: string, token?: string, withVerifier = true) {
  const res = await app(withVerifier).request(path, {
    method,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as { subject?: string | null; detail?: string } };
}

describe('the permission table at the door', () => {
  it('lets anyone call a public operation, and anything that is not an operation', async () => {
    expect(await call('GET', `/v1/institutions/${OWN}`)).toEqual({ status: 200, body: { subject: null } });
    expect(await call('GET', '/page')).toEqual({ status: 200, body: { subject: null } });
    expect((await call('GET', '/page', undefined, false)).status).toBe(200);
  });

  it('lets an institution act on itself, however its code is written in the path, with its principal', async () => {
    expect(await call('PUT', `/v1/institutions/${OWN}/contacts`, institution)).toEqual({
      status: 200,
      body: { subject: 'i' },
    });
    expect((await call('PUT', `/v1/institutions/${OWN.toLowerCase()}/contacts`, institution)).status).toBe(
      200,
    );
  });

  it('refuses an institution acting on another, and a role the row does not list, saying why', async () => {
    const other = await call('PUT', `/v1/institutions/${OTHER}/contacts`, institution);
    expect(other.status).toBe(403);
    expect(other.body.detail).toBe('an institution acts only on itself (只能处理本机构的事项)');
    const wrongRole = await call('PUT', `/v1/institutions/${OWN}/contacts`, city);
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.detail).toBe('only institution may call putV1InstitutionsByUsccContacts, not city');
  });

  it('leaves a path segment that is no code, or cannot be decoded, to the route’s validation', async () => {
    expect((await call('PUT', '/v1/institutions/not-a-code/contacts', institution)).status).toBe(400);
    expect((await call('PUT', '/v1/institutions/%E0%A4%A/contacts', institution)).status).toBe(400);
  });

  it('reads a given operationId, asking for a token and a role it lists', async () => {
    expect((await call('GET', '/v1/elsewhere')).status).toBe(401);
    expect(await call('GET', '/v1/elsewhere', city)).toEqual({ status: 200, body: { subject: 'c' } });
    expect((await call('GET', '/v1/elsewhere', institution)).body.detail).toMatch(
      /^only .+ may call getV1AdminAudit, not institution$/,
    );
  });

  it('refuses an operation missing from the table, and every token where the service takes none', async () => {
    const unlisted = await call('GET', '/v1/unlisted', city);
    expect(unlisted.status).toBe(403);
    expect(unlisted.body.detail).toBe('getV1Unlisted is not in the permission table');
    const noTokens = await call('GET', '/v1/elsewhere', city, false);
    expect(noTokens.status).toBe(401);
    expect(noTokens.body.detail).toBe('this service takes no tokens');
  });
});
