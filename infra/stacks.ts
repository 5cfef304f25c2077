import type { App, Environment } from 'aws-cdk-lib';
import { isChinaRegion } from './china/partition.ts';
import { createChinaStacks } from './china/stacks.ts';
import { EdgeStack } from './edge-stack.ts';
import type { Settings } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/** The whole deployment: stateful and stateless stacks in the service's region, the edge in us-east-1. */
export function createStacks(app: App, settings: Settings, account?: string) {
  const env: Environment = { account, region: settings.region };
  const edge = new EdgeStack(app, 'YimeiCreditEdge', {
    env: { account, region: 'us-east-1' },
    crossRegionReferences: true,
    description: 'yimei-credit: WAF web ACL (and certificate) for CloudFront',
    publicRateLimit: settings.publicRateLimit,
    overallRateLimit: settings.overallRateLimit,
    domainName: settings.domainName,
  });
  const stateful = new StatefulStack(app, 'YimeiCreditStateful', {
    env,
    description: 'yimei-credit: table, key, topics, secrets, user pool (retained on delete)',
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, 'YimeiCreditStateless', {
    env,
    crossRegionReferences: true,
    description: 'yimei-credit: functions, HTTP API, CloudFront, schedules, queues, alarms',
    stateful,
    webAclArn: edge.webAclArn,
    certificate: edge.certificate,
    domainName: settings.domainName,
    alarmEmail: settings.alarmEmail,
    smsSenderId: settings.smsSenderId,
    smsTemplateId: settings.smsTemplateId,
    smsTemplateCodes: settings.smsTemplateCodes,
    wechatNoticeApi: settings.wechatNoticeApi,
    wechatTemplateId: settings.wechatTemplateId,
    smsMonthlyBudgetUsd: settings.smsMonthlyBudgetUsd,
    calendarOverrides: settings.calendarOverrides,
    guidanceContacts: settings.guidanceContacts,
  });
  stateless.addStackDependency(edge);
  return { edge, stateful, stateless };
}

/**
 * What `cdk synth` builds: the region decides the partition. Beijing and Ningxia (aws-cn) get the China
 * profile (infra/china), every other region the global profile above.
 */
export function createDeployment(app: App, settings: Settings, account?: string) {
  return isChinaRegion(settings.region)
    ? { profile: 'china' as const, ...createChinaStacks(app, settings, account) }
    : { profile: 'global' as const, ...createStacks(app, settings, account) };
}
