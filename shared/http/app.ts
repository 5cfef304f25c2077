import { OpenAPIHono } from '@hono/zod-openapi';
import { shanghaiIso } from '../domain/dates.ts';
import { noticeAdminRoutes } from './admin/notices.ts';
import { institutionWriteRoutes, objectionRoutes } from './admin/public-writes.ts';
import { adminRoutes } from './admin/routes.ts';
import { requestBodyLimit } from './body-limit.ts';
import { publicCache } from './cache.ts';
import { notFoundOrWrongMethod, publicCors, securityHeaders } from './conventions.ts';
import type { AdminDeps, PublicDeps } from './deps.ts';
import { contactRoutes } from './institution/contacts.ts';
import { withDocumentConventions } from './openapi-conventions.ts';
import { DocsPage } from './pages/docs-page.tsx';
import { pageRoutes, sendPage } from './pages/routes.tsx';
import { problemFor, sendProblem } from './problem.ts';
import { changesRoutes } from './public/changes.ts';
import { exportRoutes } from './public/export.ts';
import { institutionRoutes } from './public/institutions.ts';
import { publicityRoutes } from './public/publicity.ts';
import { publicLookup } from './public/services.ts';
import { statsRoutes } from './public/stats-routes.ts';
import { headerLimit, jsonSyntax } from './request-checks.ts';

export interface AppLogger {
  error(message: string, details: Record<string, unknown>): void;
}

const consoleLogger: AppLogger = {
  error: (message, details) => console.error(JSON.stringify({ level: 'error', message, ...details })),
};

function baseApp(deps: PublicDeps, logger: AppLogger) {
  const app = new OpenAPIHono();
  app.onError((err, c) => {
    const p = problemFor(err);
    if (p.status >= 500) {
      logger.error('unhandled error', { path: c.req.path, error: String(err), stack: (err as Error).stack });
    }
    return sendProblem(c, p);
  });
  app.notFound(notFoundOrWrongMethod(app as never));
  app.use('*', securityHeaders(deps.publicBaseUrl));
  app.use('*', publicCors(app as never));
  app.use('*', headerLimit());
  app.use('*', requestBodyLimit());
  app.use('*', jsonSyntax());
  app.get('/health', (c) => c.json({ status: 'ok', time: shanghaiIso(deps.clock.now()) }));
  return app;
}

function mountPublic(app: OpenAPIHono, deps: PublicDeps) {
  const lookup = publicLookup(deps);
  app.route('/v1/institutions', institutionRoutes(deps, lookup));
  app.route('/v1/stats', statsRoutes(lookup));
  app.route('/v1', changesRoutes(deps));
  app.route('/v1', publicityRoutes(deps));
  app.route('/v1', exportRoutes(deps));
  app.route('/', pageRoutes(deps, lookup));
}

function mountAdmin(app: OpenAPIHono, deps: AdminDeps) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Cognito (AWS) or `npm run token` (local). Roles: city, district, district_admin, guidance, institution.',
  });
  app.route('/v1/admin', adminRoutes(deps));
  app.route('/v1/institutions', institutionWriteRoutes(deps));
  app.route('/v1/publicity', objectionRoutes(deps));
  app.route('/v1/admin/institutions', noticeAdminRoutes(deps));
  app.route('/v1/institutions', contactRoutes(deps));
}

function mountDocs(app: OpenAPIHono, deps: PublicDeps) {
  const docConfig = {
    openapi: '3.1.0',
    info: {
      title: 'yimei-credit',
      version: '1.0.0',
      description: '杭州市美容医疗机构量化分级信用监管：公开查询、公示公布与通知服务',
    },
    servers: [{ url: deps.publicBaseUrl }],
  };
  // Built on first request: every route is registered by then.
  let openapi: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  const document = () => {
    openapi ??= withDocumentConventions(app.getOpenAPI31Document(docConfig));
    return openapi;
  };
  app.get('/openapi.json', publicCache(), (c) => c.json(document()));
  let docs: string | undefined;
  app.get('/docs', publicCache(), (c) => {
    docs ??= String(DocsPage({ doc: document() }));
    return sendPage(c, docs);
  });
}

/** The read-only public service (API and pages): what the public Lambda serves. */
export function createPublicApp(deps: PublicDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  mountPublic(app, deps);
  mountDocs(app, deps);
  return app;
}

/** The whole service, public and authenticated: the local server and the admin Lambda. */
export function createApp(deps: AdminDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  mountPublic(app, deps);
  mountAdmin(app, deps);
  mountDocs(app, deps);
  return app;
}
