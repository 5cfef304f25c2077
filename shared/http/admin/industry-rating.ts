import { z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import { IndustryRatingRequestSchema, ProfileSchema } from '../../schemas/admin.ts';
import { text } from '../../schemas/common.ts';
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
        'One rating per association: it replaces only the same association’s earlier rating. Shown on the public detail in `industryRatings` (each labelled with its association; `industryRating` is the most recent), never mixed with the regulatory grade. An `association` token (with its `association` claim) records only ratings whose `ratedBy` is itself.',
      request: { params: UsccPath, ...body(IndustryRatingRequestSchema) },
      responses: { 200: json(ProfileSchema, 'Recorded'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = await putIndustryRating(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json'));
      return c.json(p, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'delete',
      path: '/institutions/{uscc}/industry-rating',
      summary: 'Remove an association’s industry rating (the association that made it, city); audited',
      description:
        'Removes the rating of the association `ratedBy` names, else the most recent one (`industryRating`). An association removes only its own; another association’s is 403.',
      request: {
        params: UsccPath,
        query: z.object({
          ratedBy: text()
            .min(1)
            .max(100)
            .optional()
            .openapi({ description: 'the association whose rating to remove', example: '中国整形美容协会' }),
        }),
      },
      responses: { 200: json(ProfileSchema, 'Removed'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { ratedBy } = c.req.valid('query');
      const p = await deleteIndustryRating(deps, actorIn(c), c.req.valid('param').uscc, ratedBy);
      return c.json(p, 200);
    },
  );
  return app;
}
