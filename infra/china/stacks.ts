import type { App } from 'aws-cdk-lib';
import { rulebook } from '../../shared/rulebook/current.ts';
import type { Settings } from '../settings.ts';
import { stackPrefix } from '../stacks.ts';
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
  const prefix = stackPrefix();
  const city = rulebook().city.name;
  const stateful = new ChinaStatefulStack(app, `${prefix}Stateful`, {
    env,
    description: `yimei-credit ${city} (China): table, key, topics, secrets (retained on delete)`,
    terminationProtection: true,
  });
  const stateless = new ChinaStatelessStack(app, `${prefix}Stateless`, {
    env,
    description: `yimei-credit ${city} (China): functions, regional API and WAF, egress network, schedules, alarms`,
    stateful,
    settings,
  });
  return { stateful, stateless };
}
