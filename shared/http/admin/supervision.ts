import type { AuthEnv } from '../../auth/middleware.ts';
import {
  CoverageSchema,
  PlanCheckSchema,
  PlanRequestSchema,
  PlanSchema,
  WatchListSchema,
} from '../../schemas/admin.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import {
  coverageReport,
  createInspectionPlan,
  verifyInspectionPlan,
  visibleInspectionPlan,
  watchList,
} from '../../services/supervision.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, json, YearParam } from './routes-common.ts';

/** Random-inspection plans, the watch list and coverage. Mounted at /v1/admin by adminRoutes. */
export function supervisionRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/inspection-plans',
      summary: 'Draw the year’s random-inspection plan from a seed (city; one per year; nobody is notified)',
      request: body(PlanRequestSchema),
      responses: { 201: json(PlanSchema, 'Drawn and stored'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await createInspectionPlan(deps, actorIn(c), c.req.valid('json')), 201),
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/inspection-plans/{year}',
      summary:
        'The year’s random-inspection plan (regulators; a district sees only its own clinics, without the seed)',
      request: { params: YearParam },
      responses: { 200: json(PlanSchema, 'The plan'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await visibleInspectionPlan(deps, actorIn(c), c.req.valid('param').year), 200),
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/inspection-plans/{year}/check',
      summary: 'Re-draw the plan from its seed and population and compare (city, guidance group)',
      request: { params: YearParam },
      responses: { 200: json(PlanCheckSchema, 'Whether the re-draw matches'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await verifyInspectionPlan(deps, actorIn(c), c.req.valid('param').year), 200),
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/watch-list',
      summary: 'D institutions with high-risk services (重点关注清单; regulators only)',
      responses: { 200: json(WatchListSchema, 'The watch list'), ...AUTH_ERRORS },
    }),
    async (c) => c.json({ items: await watchList(deps, actorIn(c)) }, 200),
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/coverage',
      summary: 'Published ÷ in scope, per district',
      responses: { 200: json(CoverageSchema, 'Coverage'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await coverageReport(deps, actorIn(c)), 200),
  );
  return app;
}
