import { z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import { ValidationError } from '../../domain/errors.ts';
import { validateUscc } from '../../domain/uscc.ts';
import { AuditListSchema } from '../../schemas/admin.ts';
import { USCC_EXAMPLE, USCC_PATTERN } from '../../schemas/common.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import { auditTrail } from '../../services/institutions.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, json } from './routes-common.ts';

/** The audit trail. Mounted at /v1/admin by adminRoutes. */
export function auditRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/audit',
      summary:
        'Audit trail of an institution (`CITY` for city-wide actions), oldest first; nothing is ever deleted',
      request: {
        query: z.object({
          uscc: z
            .string()
            .max(64)
            .openapi({
              // A credit code as the path parameters document it, or CITY for the city-wide trail.
              pattern: `^(CITY|${USCC_PATTERN.slice(1, -1)})$`,
              example: USCC_EXAMPLE,
              description: 'the institution (统一社会信用代码, check character verified), or `CITY`',
            }),
          limit: z.coerce.number().int().min(1).max(50).default(20),
          cursor: z.string().max(2000).optional(),
        }),
      },
      responses: { 200: json(AuditListSchema, 'Audit entries'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const uscc = auditSubject(q.uscc);
      // Each trail signs its cursors with its own key: one institution's cursor is refused on another's.
      // Stryker disable next-line StringLiteral: the table also refuses a start key outside the trail it reads (400 naming the cursor, test/integration/admin/audit-trail.test.ts); the key keeps the refusal from resting on that
      const purpose = `audit of ${uscc}`;
      const page = await auditTrail(
        deps,
        actorIn(c),
        uscc,
        decodeCursor(q.cursor, deps.cursorSecret, purpose),
        q.limit,
      );
      return c.json(
        {
          items: page.items.map((e) => ({ ...e, actor: { ...e.actor } })),
          nextCursor: encodeCursor(page.lastKey, deps.cursorSecret, purpose),
        },
        200,
      );
    },
  );
  return app;
}

/** `CITY` names the city-wide trail (inspection plans); anything else must be a valid uscc. */
function auditSubject(value: string): string {
  if (value === 'CITY') return value;
  const checked = validateUscc(value);
  if (!checked.ok) throw new ValidationError(checked.message, [{ path: 'uscc', message: checked.message }]);
  return checked.uscc;
}
