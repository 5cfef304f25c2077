import type { WorkflowDeps } from '../../services/context.ts';
import { objectionRoutes } from '../admin/public-writes.ts';
import { type AppLogger, baseApp, consoleLogger, type ServiceApp } from '../base-app.ts';
import type { PublicDeps } from '../deps.ts';

export type ObjectionDeps = WorkflowDeps & Pick<PublicDeps, 'publicBaseUrl'>;

/** The one public write: objections to a result in publicity. */
export function mountObjections(app: ServiceApp, deps: WorkflowDeps) {
  app.route('/v1/publicity', objectionRoutes(deps));
}

/** The objections Lambda: its own function, so a flood of objections cannot starve any other route. */
export function createObjectionsApp(deps: ObjectionDeps, logger: AppLogger = consoleLogger) {
  const app = baseApp(deps, logger);
  mountObjections(app, deps);
  return app;
}
