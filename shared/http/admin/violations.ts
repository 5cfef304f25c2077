import type { AuthEnv } from '../../auth/middleware.ts';
import { ViolationRequestSchema, ViolationSchema } from '../../schemas/admin.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import { recordViolation } from '../../services/violations.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, json, UsccPath } from './routes-common.ts';

/** Violations, accidents and adverse events. Mounted at /v1/admin by adminRoutes. */
export function violationRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/institutions/{uscc}/violations',
      summary: 'Record a violation, accident or adverse event: A/B/C are downgraded at once by severity',
      request: { params: UsccPath, ...body(ViolationRequestSchema) },
      responses: { 201: json(ViolationSchema, 'Recorded'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const v = await recordViolation(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json'));
      return c.json(v, 201);
    },
  );
  return app;
}
