import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import { problemResponse, UsccParam } from '../../schemas/common.ts';
import { actorOf } from '../../services/context.ts';

/** Errors every authenticated route may answer (problem+json). */
export const AUTH_ERRORS = {
  400: problemResponse('Invalid input; every invalid field is listed'),
  401: problemResponse('Missing, expired, badly signed or role-less token'),
  403: problemResponse('Not allowed for this role or this object'),
  404: problemResponse('Unknown object'),
  409: problemResponse('Wrong step for the current state, concurrent change, or duplicate'),
  422: problemResponse('Refused by a rule'),
} as const;

export const BEARER = [{ bearer: [] }];

/** A JSON answer of `schema`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON body of `schema`. */
export const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

/** A route of the regulators' API: tagged `admin`, bearer token required. */
export function adminRoute<R extends Omit<RouteConfig, 'security' | 'tags'>>(config: R) {
  return createRoute({ ...config, tags: ['admin'], security: BEARER });
}

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(120)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
export const UsccPath = z.object({ uscc: UsccParam });
export const YearParam = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .openapi({ param: { name: 'year', in: 'path' } }),
});

/** The audit trail's view of the authenticated caller of a request. */
export const actorIn = (c: { get(key: 'principal'): AuthEnv['Variables']['principal'] }) =>
  actorOf(c.get('principal'));
