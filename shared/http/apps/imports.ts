import { importRoutes } from '../admin/imports.ts';
import { type AppLogger, baseApp, consoleLogger, registerBearer, type ServiceApp } from '../base-app.ts';
import type { AdminDeps } from '../deps.ts';

/** `POST /v1/admin/imports`: the only route that reads spreadsheets. */
export function mountImports(app: ServiceApp, deps: AdminDeps) {
  app.route('/v1/admin', importRoutes(deps));
}

/** The imports Lambda: its own memory and concurrency, so a hostile file takes no other route with it. */
export function createImportsApp(deps: AdminDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  registerBearer(app);
  mountImports(app, deps);
  return app;
}
