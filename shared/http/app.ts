import { OpenAPIHono } from '@hono/zod-openapi';
import { institutionWriteRoutes, objectionRoutes } from './admin/public-writes.ts';
import { adminRoutes } from './admin/routes.ts';
import type { AdminDeps, PublicDeps } from './deps.ts';
import { problem, problemFor, sendProblem } from './problem.ts';
import { institutionRoutes } from './public/institutions.ts';

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
  app.notFound((c) => sendProblem(c, problem(404, 'not-found', 'Not found', `no resource at ${c.req.path}`)));
  app.get('/health', (c) => c.json({ status: 'ok', time: deps.clock.now().toISOString() }));
  return app;
}

function mountPublic(app: OpenAPIHono, deps: PublicDeps) {
  app.route('/v1/institutions', institutionRoutes(deps));
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
}

function mountDocs(app: OpenAPIHono, deps: PublicDeps) {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'yimei-credit',
      version: '1.0.0',
      description: '杭州市美容医疗机构量化分级信用监管：公开查询、公示公布与通知服务',
    },
    servers: [{ url: deps.publicBaseUrl }],
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
