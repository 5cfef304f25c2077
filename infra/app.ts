import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { installRulebookFile } from '../shared/rulebook/current.ts';
import { RulebookError } from '../shared/rulebook/load.ts';
import { parseSettings } from './settings.ts';
import { createDeployment } from './stacks.ts';

/**
 * `npx cdk synth|deploy`: parameters come from cdk.json context and `-c key=value`; `-c rulebook=FILE`
 * chooses the city (default Hangzhou). An invalid rulebook stops the synth with one line per problem.
 */
const app = new App();
try {
  const chosen = app.node.tryGetContext('rulebook') as unknown;
  installRulebookFile(typeof chosen === 'string' && chosen !== '' ? chosen : undefined);
} catch (err) {
  if (!(err instanceof RulebookError)) throw err;
  console.error(err.message);
  process.exit(1);
}
createDeployment(
  app,
  parseSettings((key) => app.node.tryGetContext(key)),
  process.env.CDK_DEFAULT_ACCOUNT,
);
// Every synth is checked; a finding nobody acknowledged (with a reason) fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
