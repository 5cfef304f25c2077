import type { AuthEnv } from '../../auth/middleware.ts';
import { scopeWarning } from '../../domain/scope.ts';
import {
  AdminInstitutionSchema,
  CloseSchema,
  InstitutionUpdateSchema,
  ProfileSchema,
  RegistrationSchema,
} from '../../schemas/admin.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import {
  closeInstitution,
  getInstitutionForRegulator,
  registerInstitution,
  updateInstitution,
} from '../../services/institutions.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, json, UsccPath } from './routes-common.ts';

/** Registering, reading, updating and closing institutions. Mounted at /v1/admin by adminRoutes. */
export function institutionRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/institutions',
      summary: 'Register an institution (city; a district officer for clinics of its district)',
      request: body(RegistrationSchema),
      responses: { 201: json(ProfileSchema, 'Registered'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const profile = await registerInstitution(deps, actorIn(c), input);
      const warning = scopeWarning(input.name);
      return c.json({ ...profile, ...(warning ? { warnings: [warning] } : {}) }, 201);
    },
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/institutions/{uscc}',
      summary: 'An institution with its regulator-only data, results and violations',
      request: { params: UsccPath },
      responses: { 200: json(AdminInstitutionSchema, 'The institution'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const view = await getInstitutionForRegulator(deps, actorIn(c), c.req.valid('param').uscc);
      return c.json(
        {
          profile: { ...view.profile },
          private: view.private ? { ...view.private } : null,
          results: view.results.map((r) => ({ ...r })),
          violations: view.violations.map((v) => ({ ...v })),
        },
        200,
      );
    },
  );
  app.openapi(
    adminRoute({
      method: 'patch',
      path: '/institutions/{uscc}',
      summary: 'Update names, address, aliases, contacts, high-risk services or the off-site flag',
      request: { params: UsccPath, ...body(InstitutionUpdateSchema) },
      responses: {
        200: json(AdminInstitutionSchema.pick({ profile: true, private: true }), 'Updated'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const out = await updateInstitution(deps, actorIn(c), c.req.valid('param').uscc, c.req.valid('json'));
      return c.json({ profile: { ...out.profile }, private: out.private ? { ...out.private } : null }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/institutions/{uscc}/close',
      summary: 'Close an institution: it stays in history and search, marked closed',
      request: {
        params: UsccPath,
        body: { content: { 'application/json': { schema: CloseSchema } }, required: false },
      },
      responses: { 200: json(ProfileSchema, 'Closed'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const input = c.req.valid('json') as { closedOn?: string } | undefined;
      // Stryker disable next-line OptionalChaining: the validator gives an absent optional body as `{}` (a request without one is answered 200 in the lifecycle tests)
      const profile = await closeInstitution(deps, actorIn(c), c.req.valid('param').uscc, input?.closedOn);
      return c.json(profile, 200);
    },
  );
  return app;
}
