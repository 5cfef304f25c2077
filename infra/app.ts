import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseSettings } from './settings.ts';
import { createDeployment } from './stacks.ts';

/** `npx cdk synth|deploy`: parameters come from cdk.json context and `-c key=value`. */
const app = new App();
createDeployment(
  app,
  parseSettings((key) => app.node.tryGetContext(key)),
  process.env.CDK_DEFAULT_ACCOUNT,
);
// Every synth is checked; a finding nobody acknowledged (with a reason) fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
