import type { WorkflowDeps } from '../../services/context.ts';
import { objectionRoutes } from '../admin/public-writes.ts';
import { type AppLogger, baseApp, consoleLogger, type ServiceApp } from '../base-app.ts';
import type { PublicDeps } from '../deps.ts';

/** The proof-of-work check and the keyed client hash need the public settings (secret, difficulty). */
export type ObjectionDeps = WorkflowDeps & PublicDeps;

/** The one public write: objections to a result in publicity. */
export function mountObjections(app: ServiceApp, deps: ObjectionDeps) {
  app.route('/v1/publicity', objectionRoutes(deps));
}

/** The objections Lambda: its own function, so a flood of objections cannot starve any other route. */
export function createObjectionsApp(deps: ObjectionDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  mountObjections(app, deps);
  return app;
}
