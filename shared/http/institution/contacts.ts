import { createRoute, z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import { shanghaiIso } from '../../domain/dates.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { maskContacts, maskOpenId, maskPhone } from '../../notify/mask.ts';
import { problemResponse, UsccParam } from '../../schemas/common.ts';
import { ContactsBodySchema, ContactsResponseSchema } from '../../schemas/notices.ts';
import { actorOf, recordAudit } from '../../services/context.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';

/** Bearer JWT (Cognito in AWS, locally minted tokens locally). */
const BEARER_SCHEME = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } as const;

const putRoute = createRoute({
  method: 'put',
  path: '/{uscc}/contacts',
  tags: ['institution'],
  summary: 'Replace the phone numbers and WeChat openids notices are sent to (the institution itself only)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ uscc: UsccParam }),
    body: { required: true, content: { 'application/json': { schema: ContactsBodySchema } } },
  },
  responses: {
    200: {
      description: 'The stored contacts, masked',
      content: { 'application/json': { schema: ContactsResponseSchema } },
    },
    400: problemResponse('Invalid phone number or openid (each one named)'),
    401: problemResponse('Missing or invalid token'),
    403: problemResponse('Not this institution'),
    404: problemResponse('No such institution'),
    409: problemResponse('Changed concurrently; retry'),
  },
});

/** PUT /v1/institutions/{uscc}/contacts: contacts live in the PRIVATE item, never in a public answer. */
export function contactRoutes(deps: AdminDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', BEARER_SCHEME);
  app.openapi(putRoute, async (c) => {
    const { uscc } = c.req.valid('param');
    const body = c.req.valid('json');
    const previous = await deps.reader.getPrivate(uscc);
    if (!previous) throw new NotFoundError(`no institution with uscc ${uscc}`);
    const stored = await deps.writer.savePrivate(previous, {
      ...previous,
      contacts: { phones: [...new Set(body.phones)], wechatOpenIds: [...new Set(body.wechatOpenIds)] },
      updatedAt: shanghaiIso(deps.clock.now()),
    });
    // Every mutation is audited, this one too; the trail keeps the contacts masked.
    await recordAudit(deps, {
      id: `contacts:${stored.version}`,
      uscc,
      at: stored.updatedAt,
      actor: actorOf(c.get('principal')),
      action: 'institution.contacts',
      before: maskContacts(previous.contacts),
      after: maskContacts(stored.contacts),
    });
    return c.json(
      {
        uscc,
        phones: stored.contacts.phones.map(maskPhone),
        wechatOpenIds: stored.contacts.wechatOpenIds.map(maskOpenId),
        updatedAt: stored.updatedAt,
      },
      200,
    );
  });
  return app;
}
