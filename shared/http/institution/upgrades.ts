import { createRoute, z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import { UpgradeApplicationRequestSchema, UpgradeApplicationSchema } from '../../schemas/admin.ts';
import { UsccParam } from '../../schemas/common.ts';
import { actorOf, type WorkflowDeps } from '../../services/context.ts';
import { applyForUpgrade } from '../../services/upgrades.ts';
import { AUTH_ERRORS, BEARER } from '../admin/routes-common.ts';
import { MAX_UPGRADE_BODY_BYTES, routeBodyLimit } from '../body-limit.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';

const upgradeRoute = createRoute({
  method: 'post',
  path: '/{uscc}/upgrade-applications',
  tags: ['institution'],
  security: BEARER,
  summary: 'Apply for an upgrade (主动升级; the institution itself, B or C, once per calendar year)',
  request: {
    params: z.object({ uscc: UsccParam }),
    body: { content: { 'application/json': { schema: UpgradeApplicationRequestSchema } }, required: true },
  },
  responses: {
    201: { description: 'Submitted', content: { 'application/json': { schema: UpgradeApplicationSchema } } },
    ...AUTH_ERRORS,
  },
});

/** An institution's upgrade application, mounted at /v1/institutions (only this path is guarded). */
export function upgradeApplicationRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.use('/:uscc/upgrade-applications', routeBodyLimit(MAX_UPGRADE_BODY_BYTES));
  app.openapi(upgradeRoute, async (c) => {
    const a = await applyForUpgrade(
      deps,
      actorOf(c.get('principal')),
      c.req.valid('param').uscc,
      c.req.valid('json'),
    );
    return c.json(a, 201);
  });
  return app;
}
