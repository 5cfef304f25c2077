import { mountAdmin } from './apps/admin.ts';
import { mountImports } from './apps/imports.ts';
import { mountObjections } from './apps/objections.ts';
import { mountPublic } from './apps/public.ts';
import { type AppLogger, baseApp, consoleLogger, mountDocs } from './base-app.ts';
import type { AdminDeps } from './deps.ts';

export { createPublicApp } from './apps/public.ts';
export type { AppLogger } from './base-app.ts';

/**
 * The whole service in one app: the local server and the tests. Each Lambda builds only its own part
 * (shared/http/apps/*), so it bundles only what it serves; this mounts every part in the same order.
 */
export function createApp(deps: AdminDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  mountPublic(app, deps);
  mountObjections(app, deps);
  mountAdmin(app, deps);
  mountImports(app, deps);
  mountDocs(app, deps);
  return app;
}
