import { createRoute, z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import { shanghaiIso } from '../../domain/dates.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { problemResponse, UsccParam } from '../../schemas/common.ts';
import { ListQuerySchema, NoticeListSchema } from '../../schemas/notices.ts';
import { requireScope } from '../../services/context.ts';
import { keys } from '../../store/keys.ts';
import { bindingOf, openCursor, signCursor } from '../cursor.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';

/** A stored instant (kept in UTC for the claim conditions) as given to readers: with +08:00. */
function plusEight(iso: string): string {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? iso : shanghaiIso(instant);
}

/** Bearer JWT (Cognito in AWS, locally minted tokens locally). */
const BEARER_SCHEME = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } as const;

const listRoute = createRoute({
  method: 'get',
  path: '/{uscc}/notices',
  tags: ['admin'],
  summary:
    "An institution's notices and the state of each: sent, failed for good (with the reason), or still pending",
  security: [{ bearer: [] }],
  request: { params: z.object({ uscc: UsccParam }), query: ListQuerySchema },
  responses: {
    200: { description: 'The notices', content: { 'application/json': { schema: NoticeListSchema } } },
    400: problemResponse('Malformed uscc, limit or cursor'),
    401: problemResponse('Missing or invalid token'),
    403: problemResponse('Not a regulator of this institution'),
    404: problemResponse('No such institution'),
  },
});

/** GET /v1/admin/institutions/{uscc}/notices (regulators). */
export function noticeAdminRoutes(deps: AdminDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', BEARER_SCHEME);
  app.openapi(listRoute, async (c) => {
    const { uscc } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const profile = await deps.reader.getProfile(uscc);
    if (!profile) throw new NotFoundError(`no institution with uscc ${uscc}`);
    requireScope('getV1AdminInstitutionsByUsccNotices', c.get('principal'), { institution: profile });
    const startKey = cursor ? decodeCursor(cursor, uscc, deps.cursorSecret) : null;
    const page = await deps.notices.list(uscc, startKey, limit);
    const items = page.items.map(({ uscc: _u, recipientId: _r, leaseUntil: _l, ...rest }) => ({
      ...rest,
      claimedAt: plusEight(rest.claimedAt),
      sentAt: rest.sentAt === null ? null : plusEight(rest.sentAt),
      updatedAt: plusEight(rest.updatedAt),
    }));
    return c.json(
      { items, nextCursor: page.lastKey ? encodeCursor(page.lastKey, uscc, deps.cursorSecret) : null },
      200,
    );
  });
  return app;
}

const CursorState = z.object({ sk: z.string().min(1).max(400) });

/** The cursor is bound to this list of this institution: replayed elsewhere it is refused. */
const binding = (uscc: string) => bindingOf({ list: 'notices', uscc });

function encodeCursor(lastKey: Record<string, unknown>, uscc: string, secret: string): string {
  return signCursor(secret, binding(uscc), { sk: lastKey.sk });
}

function decodeCursor(cursor: string, uscc: string, secret: string): Record<string, unknown> {
  const { sk } = openCursor(secret, binding(uscc), cursor, (state) => CursorState.parse(state));
  return { pk: keys.noticePartition(uscc), sk };
}
