import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { type AuthEnv, requireAuth } from '#shared/auth/middleware.ts';
import { ForbiddenError } from '#shared/domain/errors.ts';
import { validateUscc } from '#shared/domain/uscc.ts';
import type { AdminDeps } from '#shared/http/deps.ts';
import { openApiRouter } from '#shared/http/openapi-app.ts';
import { decimalNumber } from '#shared/schemas/common.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { fuzz, fuzzTarget, printStats } from './fuzz-harness.ts';

/**
 * The generators and invariants on an authenticated, writing operation built from the app's own parts
 * (router, bearer middleware, problem mapping), so the harness is proven on admin-shaped routes too:
 * valid tokens of every role reach the handler and write; bad tokens, malformed or oversized bodies and
 * wrong content types are refused as problem+json without a write.
 */
const probe = createRoute({
  method: 'post',
  path: '/{uscc}/notes',
  // Deny by default refuses an operation the permission table does not name, whatever the token; the
  // probe takes the grant of recording a violation (the city, a district for its own clinics).
  operationId: 'postV1AdminInstitutionsByUsccViolations',
  security: [{ bearerAuth: [] }],
  request: {
    params: z.object({ uscc: z.string().max(64) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              score: decimalNumber({ min: 0, max: 100, places: 2 }),
              occurredOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
              tags: z
                .array(z.enum(['a', 'b']))
                .max(3)
                .optional(),
              note: z.string().min(1).max(200),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    201: { description: 'written' },
    400: { description: 'invalid' },
    401: { description: 'no token' },
    403: { description: 'not allowed' },
  },
});

function probeRoutes(deps: AdminDeps) {
  const app = openApiRouter<AuthEnv>();
  app.use('*', requireAuth(deps.verifier));
  app.openapi(probe, async (c) => {
    const principal = c.get('principal');
    if (principal.role === 'institution') throw new ForbiddenError('institutions may not write notes');
    const checked = validateUscc(c.req.valid('param').uscc);
    if (!checked.ok) throw new ForbiddenError('unknown institution');
    const note = c.req.valid('json');
    await deps.audit.record({
      uscc: checked.uscc,
      at: deps.clock.now().toISOString(),
      actor: { subject: principal.subject, role: principal.role },
      action: 'note',
      before: null,
      after: note,
    });
    return c.json({ ok: true }, 201);
  });
  return app;
}

describe('the fuzz harness on an authenticated writing operation', () => {
  const dynamo = useTestDynamo();

  it('finds the operation in the document, and every invariant holds for generated requests', async () => {
    const target = await fuzzTarget(dynamo, 6, (app, deps) =>
      app.route('/v1/admin/probe', probeRoutes(deps)),
    );
    const op = target.operations.find((o) => o.path === '/v1/admin/probe/{uscc}/notes');
    expect(op).toMatchObject({ method: 'POST', secured: true });
    target.operations = op ? [op] : [];
    const started = performance.now();
    const stats = await fuzz(target, 800);
    printStats(stats, performance.now() - started);
    // Accepted, refused for the token, for the role, for the body, for its size: all reached.
    for (const status of [201, 400, 401, 403, 413])
      expect(stats.statuses.get(status) ?? 0, String(status)).toBeGreaterThan(0);
    expect(stats.acceptedWrites.size).toBeGreaterThan(0);
  });
});
