import { z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import { ProfileSchema } from '../../schemas/admin.ts';
import {
  LicenceRequestSchema,
  LocationRequestSchema,
  PhysicianRequestSchema,
} from '../../schemas/capabilities.ts';
import { UsccParam } from '../../schemas/common.ts';
import { addPhysician, putLicence, putLocation, removePhysician } from '../../services/capabilities.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, json, UsccPath } from './routes-common.ts';

const WHO = 'The city; a district officer for the clinics of its district. Audited.';

/** What an institution may do and where it is: licence, attending physicians, location. Mounted at /v1/admin by adminRoutes. */
export function capabilityRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'put',
      path: '/institutions/{uscc}/licence',
      summary: 'Enter or change the practice licence: number, subjects and highest surgery level',
      description:
        `${WHO} The level is checked against the institution’s kind (医疗美容项目分级管理目录, 2009): a clinic up to level 1, ` +
        'an outpatient department up to 2, a hospital up to 4 (422 naming `surgeryLevel` otherwise). A change appends a ' +
        '`licence_changed` event (an extension type) to the feed. Dropping a subject that a registered attending physician holds is 409.',
      request: { params: UsccPath, ...body(LicenceRequestSchema) },
      responses: { 200: json(ProfileSchema, 'Stored'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = await putLicence(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json'));
      return c.json(p, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'put',
      path: '/institutions/{uscc}/location',
      summary: 'Enter or change where the institution is (GCJ-02)',
      description: `${WHO} Used by near-me search (\`near=lat,lng\`).`,
      request: { params: UsccPath, ...body(LocationRequestSchema) },
      responses: { 200: json(ProfileSchema, 'Stored'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = await putLocation(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json'));
      return c.json(p, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/institutions/{uscc}/physicians',
      summary: 'Register an attending physician (主诊医师)',
      description: `${WHO} The subject must be one the licence lists; the same certificate twice is 409 (the same record again changes nothing).`,
      request: { params: UsccPath, ...body(PhysicianRequestSchema) },
      responses: { 201: json(ProfileSchema, 'Registered'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = await addPhysician(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json'));
      return c.json(p, 201);
    },
  );
  app.openapi(
    adminRoute({
      method: 'delete',
      path: '/institutions/{uscc}/physicians/{certificateNo}',
      summary: 'Remove an attending physician',
      description: `${WHO} 404 when no physician with that certificate is registered here.`,
      request: {
        params: z.object({
          uscc: UsccParam,
          certificateNo: z
            .string()
            .min(1)
            .max(40)
            .openapi({ param: { name: 'certificateNo', in: 'path' } }),
        }),
      },
      responses: { 200: json(ProfileSchema, 'Removed'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { uscc, certificateNo } = c.req.valid('param');
      const p = await removePhysician(deps, actorIn(c), uscc, certificateNo);
      return c.json(p, 200);
    },
  );
  return app;
}
