import {
  type AppLogger,
  baseApp,
  consoleLogger,
  mountDocs,
  type OpenApiJson,
  type ServiceApp,
  serveDocs,
} from '../base-app.ts';
import type { PublicDeps } from '../deps.ts';
import { pageRoutes } from '../pages/routes.tsx';
import { challengeRoutes, scriptRoutes } from '../public/challenge.ts';
import { changesRoutes } from '../public/changes.ts';
import { exportRoutes } from '../public/export.ts';
import { institutionRoutes } from '../public/institutions.ts';
import { nearScriptRoutes } from '../public/near-script.ts';
import { objectionStatusRoutes } from '../public/objection-status.ts';
import { publicityRoutes } from '../public/publicity.ts';
import { publicLookup } from '../public/services.ts';
import { statsRoutes } from '../public/stats-routes.ts';

/** The public reads: the register, stats, publicity, changes, exports and the pages. */
export function mountPublic(app: ServiceApp, deps: PublicDeps) {
  const lookup = publicLookup(deps);
  app.route('/v1/institutions', institutionRoutes(deps, lookup));
  app.route('/v1/stats', statsRoutes(lookup));
  app.route('/v1', changesRoutes(deps));
  app.route('/v1', publicityRoutes(deps));
  app.route('/v1', objectionStatusRoutes(lookup.objectionStatus));
  app.route('/v1', challengeRoutes(deps));
  app.route('/', scriptRoutes());
  app.route('/', nearScriptRoutes());
  app.route('/v1', exportRoutes(deps));
  app.route('/', pageRoutes(deps, lookup));
}

/** The read-only public service (API, pages and its OpenAPI document): what the public Lambda serves. */
export function createPublicApp(deps: PublicDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  mountPublic(app, deps);
  mountDocs(app, deps);
  return app;
}

/**
 * The public service serving a document built elsewhere: the Lambda's, the whole service's document
 * embedded at bundle time, so it lists every function's operations and the bundle carries no generator.
 */
export function createPublicAppWithDocument(
  deps: PublicDeps,
  document: () => OpenApiJson,
  logger: AppLogger = consoleLogger,
) {
  const app = baseApp(deps, logger);
  mountPublic(app, deps);
  serveDocs(app, document);
  return app;
}
