import type { AuthEnv } from '../../auth/middleware.ts';
import { UntrueFindingSchema, UpgradeApplicationSchema, UpgradeDecisionSchema } from '../../schemas/admin.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import { decideUpgrade, getApplication, recordUntrueFinding } from '../../services/upgrades.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, IdParam, json } from './routes-common.ts';

/** Deciding upgrade applications. Mounted at /v1/admin by adminRoutes. */
export function upgradeAdminRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/upgrade-applications/{id}/decision',
      summary: 'Decide an upgrade application (city; a clinic’s by its district, which scores it)',
      description:
        'A clinic’s upgrade follows the clinic path: its district officer accepts it with the new score (then the district health admin approves and the city re-checks); the city may refuse it or find it untrue. The city accepts and scores hospitals and outpatient departments.',
      request: { params: IdParam, ...body(UpgradeDecisionSchema) },
      responses: { 200: json(UpgradeApplicationSchema, 'Decided'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const a = await decideUpgrade(deps, actorIn(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(a, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/upgrade-applications/{id}/untrue-finding',
      summary: 'Record that a decided application’s self-assessment was found untrue later (自评不实)',
      description:
        'At a re-review or an inspection. The 2-year ban on upgrade applications runs from `foundOn`; applications before its end are refused with 422 naming the date. City; a district officer for its clinics.',
      request: { params: IdParam, ...body(UntrueFindingSchema) },
      responses: { 200: json(UpgradeApplicationSchema, 'Recorded'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const a = await recordUntrueFinding(deps, actorIn(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(a, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/upgrade-applications/{id}',
      summary: 'An upgrade application',
      request: { params: IdParam },
      responses: { 200: json(UpgradeApplicationSchema, 'The application'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await getApplication(deps, actorIn(c), c.req.valid('param').id), 200),
  );
  return app;
}
