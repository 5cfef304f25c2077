import type { AuthEnv } from '../../auth/middleware.ts';
import { IndustryRatingRequestSchema, ProfileSchema } from '../../schemas/admin.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import { deleteIndustryRating, putIndustryRating } from '../../services/industry-rating.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, json, UsccPath } from './routes-common.ts';

/** The industry associations’ 1A–5A ratings. Mounted at /v1/admin by adminRoutes. */
export function industryRatingRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'put',
      path: '/institutions/{uscc}/industry-rating',
      summary: 'Record the industry association’s 1A–5A rating (association, city); audited',
      description:
        'Shown on the public detail as `industryRating`, labelled as the association’s evaluation and never mixed with the regulatory grade. An `association` token (with its `association` claim) records only ratings whose `ratedBy` is itself.',
      request: { params: UsccPath, ...body(IndustryRatingRequestSchema) },
      responses: { 200: json(ProfileSchema, 'Recorded'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = await putIndustryRating(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json'));
      return c.json({ ...p }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'delete',
      path: '/institutions/{uscc}/industry-rating',
      summary: 'Remove the industry rating (association that made it, city); audited',
      request: { params: UsccPath },
      responses: { 200: json(ProfileSchema, 'Removed'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = await deleteIndustryRating(deps, actorIn(c), c.req.valid('param').uscc);
      return c.json({ ...p }, 200);
    },
  );
  return app;
}
