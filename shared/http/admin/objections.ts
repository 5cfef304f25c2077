import { z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import {
  AssessmentSchema,
  BulkDismissalSchema,
  ObjectionPageSchema,
  ObjectionSchema,
  ResolutionSchema,
} from '../../schemas/admin.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import { dismissObjections, listObjectionPage, resolveObjection } from '../../services/objections.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, IdParam, json } from './routes-common.ts';

/** Deciding the objections lodged during publicity. Mounted at /v1/admin by adminRoutes. */
export function objectionAdminRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/objections/{id}/resolve',
      summary: 'Decide an objection (city); an upheld objection withdraws the result',
      request: { params: IdParam, ...body(ResolutionSchema) },
      responses: {
        200: json(z.object({ objection: ObjectionSchema, result: AssessmentSchema }), 'Decided'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const out = await resolveObjection(deps, actorIn(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ objection: { ...out.objection }, result: { ...out.result } }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/assessments/{id}/objections',
      summary: 'The objections of an assessment, a page at a time (limit/cursor)',
      request: {
        params: IdParam,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(2000).optional(),
        }),
      },
      responses: { 200: json(ObjectionPageSchema, 'Objections'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listObjectionPage(
        deps,
        actorIn(c),
        c.req.valid('param').id,
        q.limit,
        decodeCursor(q.cursor, deps.cursorSecret, `objections of ${c.req.valid('param').id}`),
      );
      return c.json(
        {
          items: page.items.map((o) => ({ ...o })),
          nextCursor: encodeCursor(
            page.lastKey,
            deps.cursorSecret,
            `objections of ${c.req.valid('param').id}`,
          ),
        },
        200,
      );
    },
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/assessments/{id}/objections/dismissal',
      summary:
        'Dismiss the open objections of an assessment in one decision (city): all of them, or those in `ids`',
      request: { params: IdParam, ...body(BulkDismissalSchema) },
      responses: {
        200: json(z.object({ dismissed: z.array(z.string()), result: AssessmentSchema }), 'Dismissed'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const out = await dismissObjections(deps, actorIn(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ dismissed: out.dismissed, result: { ...out.result } }, 200);
    },
  );
  return app;
}
