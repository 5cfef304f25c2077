import type { AuthEnv } from '../../auth/middleware.ts';
import { REPLY_MAX_CHARS } from '../../domain/reply.ts';
import { ReplyDecisionSchema, ReplyRequestSchema, ReplyStatementSchema } from '../../schemas/reply.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import { decideReply, getReply, submitReply } from '../../services/replies.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, json, UsccPath } from './routes-common.ts';

const SHOWN =
  'An approved statement is shown on the public page and in the detail’s `reply`, under the grade it is about, marked as the institution’s own words; ' +
  'it is cleared when the next result is published or a downgrade takes effect (a statement about one grade never stands under another).';

/** An institution's statement about its grade (its right to reply). Mounted at /v1/admin by adminRoutes. */
export function replyRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/institutions/{uscc}/reply',
      summary: 'Submit a statement about its grade (the institution itself); audited',
      description:
        `At most ${REPLY_MAX_CHARS} characters, one paragraph. One statement awaits a decision at a time (409 while one is pending; ` +
        'sending the same text again answers the pending one); a new statement may follow a decided one and, once approved, replaces it. ' +
        `422 when the institution is closed or has no published grade. ${SHOWN}`,
      request: { params: UsccPath, ...body(ReplyRequestSchema) },
      responses: {
        201: json(ReplyStatementSchema, 'Submitted, pending'),
        200: json(ReplyStatementSchema, 'The same text is already pending'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { view, created } = await submitReply(
        deps,
        actorIn(c),
        c.req.valid('param').uscc,
        c.req.valid('json'),
      );
      return c.json(view, created ? 201 : 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/institutions/{uscc}/reply',
      summary:
        'The latest statement of an institution and where it stands (the institution itself, its regulators)',
      request: { params: UsccPath },
      responses: { 200: json(ReplyStatementSchema, 'The latest statement'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await getReply(deps, actorIn(c), c.req.valid('param').uscc), 200),
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/institutions/{uscc}/reply/decision',
      summary: 'Approve or refuse a pending statement (the regulator that scores the institution); audited',
      description:
        'The city for hospitals and outpatient departments, the district officer for the clinics of its district. `id` names the statement ' +
        'read: 409 when it is no longer the latest, already decided, or about a grade that is no longer current. A refusal needs a `reason`. ' +
        SHOWN,
      request: { params: UsccPath, ...body(ReplyDecisionSchema) },
      responses: { 200: json(ReplyStatementSchema, 'Decided'), ...AUTH_ERRORS },
    }),
    async (c) =>
      c.json(await decideReply(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json')), 200),
  );
  return app;
}
