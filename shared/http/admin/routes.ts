import { bodyLimit } from 'hono/body-limit';
import type { AuthEnv } from '../../auth/middleware.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { assessmentRoutes } from './assessments.ts';
import { auditRoutes } from './audit.ts';
import { capabilityRoutes } from './capabilities.ts';
import { industryRatingRoutes } from './industry-rating.ts';
import { institutionRoutes } from './institutions.ts';
import { objectionAdminRoutes } from './objections.ts';
import { replyRoutes } from './replies.ts';
import { supervisionRoutes } from './supervision.ts';
import { upgradeAdminRoutes } from './upgrades.ts';
import { violationRoutes } from './violations.ts';

/** The authenticated regulator API, mounted at /v1/admin: one router per resource. */
export function adminRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  // Imports (shared/http/admin/imports.ts, mounted beside these routes) take their own, larger limit.
  const jsonLimit = bodyLimit({ maxSize: 64 * 1024 });
  app.use('*', async (c, next) => (c.req.path.endsWith('/imports') ? next() : jsonLimit(c, next)));
  for (const resource of [
    institutionRoutes,
    industryRatingRoutes,
    capabilityRoutes,
    violationRoutes,
    assessmentRoutes,
    objectionAdminRoutes,
    upgradeAdminRoutes,
    replyRoutes,
    supervisionRoutes,
    auditRoutes,
  ]) {
    app.route('/', resource(deps));
  }
  return app;
}
