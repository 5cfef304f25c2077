import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { type AuthEnv, requireAuth } from '../../auth/middleware.ts';
import { DomainError, ValidationError } from '../../domain/errors.ts';
import {
  ObjectionRequestSchema,
  UpgradeApplicationRequestSchema,
  UpgradeApplicationSchema,
} from '../../schemas/admin.ts';
import { problemResponse, UsccParam } from '../../schemas/common.ts';
import { actorOf, type WorkflowDeps } from '../../services/context.ts';
import { lodgeObjection } from '../../services/objections.ts';
import { applyForUpgrade } from '../../services/upgrades.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { MessagePage } from '../pages/institution-page.tsx';
import { render } from '../pages/layout.tsx';
import { PAGE_CSP, sendPage } from '../pages/routes.tsx';
import { siteOf } from '../pages/site.ts';
import { fieldProblems, problemFor } from '../problem.ts';
import { AUTH_ERRORS, BEARER } from './routes.ts';

const objectionRoute = createRoute({
  method: 'post',
  path: '/{resultId}/objections',
  tags: ['public'],
  summary: 'Object to a result in publicity (异议); anyone, no account',
  description:
    'Accepted only while the result is in publicity (409 otherwise). Small bodies only (8 KiB), so the route is cheap to rate-limit at the edge.',
  request: {
    params: z.object({
      resultId: z
        .string()
        .min(1)
        .max(80)
        .openapi({ param: { name: 'resultId', in: 'path' } }),
    }),
    body: { content: { 'application/json': { schema: ObjectionRequestSchema } }, required: true },
  },
  responses: {
    200: {
      description:
        'A form post (`application/x-www-form-urlencoded`, field `text`, from the institution page): the confirmation page',
      content: { 'text/html': { schema: z.string() } },
    },
    201: {
      description: 'Lodged',
      content: {
        'application/json': {
          schema: z.object({
            id: z.string(),
            resultId: z.string(),
            status: z.literal('open'),
            lodgedAt: z.string(),
          }),
        },
      },
    },
    400: problemResponse('Invalid text'),
    404: problemResponse('Unknown result'),
    413: problemResponse('Body too large'),
  },
});

/**
 * The caller's address: the first hop of X-Forwarded-For (CloudFront puts the viewer first), else the
 * source address API Gateway saw. Only its hash is ever stored (see lodgeObjection).
 */
// biome-ignore lint/suspicious/noExplicitAny: the Lambda event shape differs between API Gateway versions
export function clientAddress(c: { req: { header(name: string): string | undefined }; env?: any }): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded;
  const ctx = c.env?.event?.requestContext;
  return ctx?.identity?.sourceIp ?? ctx?.http?.sourceIp ?? 'unknown';
}

/** Public writes: objections during publicity. Mounted at /v1/publicity. */
export function objectionRoutes(deps: WorkflowDeps) {
  const app = openApiRouter();
  app.use('*', bodyLimit({ maxSize: 8 * 1024 }));
  // The institution page's form posts here too (the public pages run no JavaScript): it gets a page.
  app.use('/:resultId/objections', async (c, next) => {
    if (
      c.req.method !== 'POST' ||
      !(c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')
    ) {
      return next();
    }
    c.header('Cache-Control', 'no-store');
    const form = await c.req.parseBody();
    try {
      const parsed = ObjectionRequestSchema.safeParse({
        text: typeof form.text === 'string' ? form.text : '',
      });
      if (!parsed.success) {
        throw new ValidationError('invalid objection', fieldProblems('form', parsed.error.issues));
      }
      const o = await lodgeObjection(deps, c.req.param('resultId'), parsed.data.text, clientAddress(c));
      return sendPage(
        c,
        MessagePage({
          title: '异议已提交',
          message: `您的异议已于${o.lodgedAt.slice(0, 10)}登记（编号 ${o.id}），将由市卫生健康监督机构核查处理。`,
        }),
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const refusal = problemFor(err);
      const page = MessagePage({
        title: '异议未能提交',
        message:
          refusal.status === 409 ? '该结果已不在公示期内，不能再提出异议。' : `提交未成功：${refusal.detail}`,
      });
      const headers: Record<string, string> = { 'Content-Security-Policy': PAGE_CSP };
      if (typeof refusal.retryAfter === 'number') headers['Retry-After'] = String(refusal.retryAfter);
      return c.html(render(page, siteOf(c)), refusal.status as 400 | 404 | 409 | 429, headers);
    }
  });
  app.openapi(objectionRoute, async (c) => {
    const o = await lodgeObjection(
      deps,
      c.req.valid('param').resultId,
      c.req.valid('json').text,
      clientAddress(c),
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ id: o.id, resultId: o.resultId, status: 'open' as const, lodgedAt: o.lodgedAt }, 201);
  });
  return app;
}

const upgradeRoute = createRoute({
  method: 'post',
  path: '/{uscc}/upgrade-applications',
  tags: ['institution'],
  security: BEARER,
  summary: 'Apply for an upgrade (主动升级; the institution itself, B or C, once per calendar year)',
  request: {
    params: z.object({ uscc: UsccParam }),
    body: { content: { 'application/json': { schema: UpgradeApplicationRequestSchema } }, required: true },
  },
  responses: {
    201: { description: 'Submitted', content: { 'application/json': { schema: UpgradeApplicationSchema } } },
    ...AUTH_ERRORS,
  },
});

/** The institutions' own authenticated calls, mounted at /v1/institutions (only this path is guarded). */
export function institutionWriteRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.use('/:uscc/upgrade-applications', requireAuth(deps.verifier), bodyLimit({ maxSize: 64 * 1024 }));
  app.openapi(upgradeRoute, async (c) => {
    const a = await applyForUpgrade(
      deps,
      actorOf(c.get('principal')),
      c.req.valid('param').uscc,
      c.req.valid('json'),
    );
    return c.json({ ...a }, 201);
  });
  return app;
}
