import { OpenAPIHono } from '@hono/zod-openapi';
import type { TokenVerifier } from '../auth/verifier.ts';
import { shanghaiIso } from '../domain/dates.ts';
import { rulebook } from '../domain/rules.ts';
import { requestBodyLimit } from './body-limit.ts';
import { CACHE_POLICIES, publicCache } from './cache.ts';
import { notFoundOrWrongMethod, publicCors, sameOriginWrites, securityHeaders } from './conventions.ts';
import type { PublicDeps } from './deps.ts';
import { withDocumentConventions } from './openapi-conventions.ts';
import { cloudFrontOnly } from './origin-verify.ts';
import { DocsPage } from './pages/docs-page.tsx';
import { renderMarkup } from './pages/layout.tsx';
import { sendPage } from './pages/routes.tsx';
import { siteInfo, siteOf } from './pages/site.ts';
import { permissions } from './permissions.ts';
import { problemFor, sendProblem } from './problem.ts';
import { headerLimit, jsonSyntax } from './request-checks.ts';

export interface AppLogger {
  error(message: string, details: Record<string, unknown>): void;
}

export const consoleLogger: AppLogger = {
  error: (message, details) => console.error(JSON.stringify({ level: 'error', message, ...details })),
};

/**
 * What every app of the service shares, whichever routes it then mounts: problem answers, 404/405,
 * security headers, CORS for public reads, body limits, the permission table and `/health`.
 */
export function baseApp(
  deps: Pick<PublicDeps, 'clock' | 'publicBaseUrl' | 'icpNumber' | 'originVerifySecret'> & {
    verifier?: TokenVerifier;
  },
  logger: AppLogger,
) {
  const app = new OpenAPIHono();
  app.onError((err, c) => {
    const p = problemFor(err);
    if (p.status >= 500) {
      logger.error('unhandled error', {
        path: c.req.path,
        error: String(err),
        ...(err instanceof Error && err.cause !== undefined ? { cause: String(err.cause) } : {}),
        stack: (err as Error).stack,
      });
    }
    return sendProblem(c, p);
  });
  app.notFound(notFoundOrWrongMethod(app as never));
  app.use('*', cloudFrontOnly(deps.originVerifySecret));
  app.use('*', securityHeaders(deps.publicBaseUrl));
  app.use('*', publicCors(app as never));
  app.use('*', sameOriginWrites(deps.publicBaseUrl));
  app.use('*', headerLimit());
  app.use('*', requestBodyLimit());
  app.use('*', jsonSyntax(app as never));
  app.use('*', siteInfo({ icpNumber: deps.icpNumber }));
  app.use('*', permissions(app as never, deps.verifier));
  app.get('/health', (c) => c.json({ status: 'ok', time: shanghaiIso(deps.clock.now()) }));
  return app;
}

export type ServiceApp = ReturnType<typeof baseApp>;

/** The bearer scheme of the authenticated routes, in the OpenAPI document. */
export function registerBearer(app: ServiceApp) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Cognito (AWS) or `npm run token` (local). Roles: city, district and district_admin (with a `district` ' +
      'claim), guidance, institution (with a `uscc` claim), association (with an `association` claim naming the ' +
      'industry association, e.g. 中国整形美容协会; it may only PUT and DELETE industry ratings).',
  });
}

/** The OpenAPI document as `/openapi.json` serves it. */
export type OpenApiJson = Record<string, unknown>;

/** `/openapi.json` and `/docs`, describing every route mounted on `app` before the first request. */
export function mountDocs(app: ServiceApp, deps: Pick<PublicDeps, 'publicBaseUrl'>) {
  const docConfig = {
    openapi: '3.1.0',
    info: {
      title: 'yimei-credit',
      version: '1.0.0',
      description: `${rulebook().wording.schemeName}：公开查询、公示公布与通知服务`,
    },
    servers: [{ url: deps.publicBaseUrl }],
  };
  // Built on first request: every route is registered by then.
  serveDocs(
    app,
    () => withDocumentConventions(app.getOpenAPI31Document(docConfig)) as unknown as OpenApiJson,
  );
}

/** `/openapi.json` and `/docs` serving `document`, asked for once, on the first request of either. */
export function serveDocs(app: ServiceApp, document: () => OpenApiJson) {
  let openapi: OpenApiJson | undefined;
  const once = () => {
    openapi ??= document();
    return openapi;
  };
  app.get('/openapi.json', publicCache(CACHE_POLICIES.docs), (c) => c.json(once()));
  let docs: string | undefined;
  app.get('/docs', publicCache(CACHE_POLICIES.docs), (c) => {
    docs ??= renderMarkup(DocsPage({ doc: once() }), siteOf(c));
    return sendPage(c, docs);
  });
}
