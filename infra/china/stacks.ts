import type { App } from 'aws-cdk-lib';
import type { Settings } from '../settings.ts';
import { chinaSettings } from './partition.ts';
import { ChinaStatefulStack } from './stateful-stack.ts';
import { ChinaStatelessStack } from './stateless-stack.ts';

/**
 * The China profile (partition aws-cn): stateful and stateless stacks in the one region, nothing in
 * us-east-1 or any other partition.
 */
export function createChinaStacks(app: App, raw: Settings, account?: string) {
  const settings = chinaSettings(raw);
  const env = { account, region: settings.region };
  const stateful = new ChinaStatefulStack(app, 'YimeiCreditStateful', {
    env,
    description: 'yimei-credit (China): table, key, topics, secrets (retained on delete)',
    terminationProtection: true,
  });
  const stateless = new ChinaStatelessStack(app, 'YimeiCreditStateless', {
    env,
    description: 'yimei-credit (China): functions, regional API and WAF, egress network, schedules, alarms',
    stateful,
    settings,
  });
  return { stateful, stateless };
}
