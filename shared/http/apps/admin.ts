import { campaignRoutes } from '../admin/campaigns.ts';
import { noticeAdminRoutes } from '../admin/notices.ts';
import { adminRoutes } from '../admin/routes.ts';
import { type AppLogger, baseApp, consoleLogger, registerBearer, type ServiceApp } from '../base-app.ts';
import type { AdminDeps } from '../deps.ts';
import { contactRoutes } from '../institution/contacts.ts';
import { upgradeApplicationRoutes } from '../institution/upgrades.ts';

/** The authenticated API of regulators and institutions, register imports excepted. */
export function mountAdmin(app: ServiceApp, deps: AdminDeps) {
  registerBearer(app);
  app.route('/v1/admin', adminRoutes(deps));
  app.route('/v1/admin/campaigns', campaignRoutes(deps));
  app.route('/v1/institutions', upgradeApplicationRoutes(deps));
  app.route('/v1/admin/institutions', noticeAdminRoutes(deps));
  app.route('/v1/institutions', contactRoutes(deps));
}

/** The admin Lambda. */
export function createAdminApp(deps: AdminDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  mountAdmin(app, deps);
  return app;
}
