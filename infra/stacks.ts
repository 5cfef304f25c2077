import type { App, Environment } from 'aws-cdk-lib';
import { DEFAULT_RULEBOOK_ID, rulebook } from '../shared/rulebook/current.ts';
import { ROUTE_BODY_CAPS } from './catalogue.ts';
import { isChinaRegion } from './china/partition.ts';
import { createChinaStacks } from './china/stacks.ts';
import { EdgeStack } from './edge-stack.ts';
import type { Settings } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/**
 * Stack names carry the city (one deployment per city, docs/rulebook.md): `YimeiCreditNingbo…`. The
 * default rulebook keeps the names it was first deployed under, so an existing deployment is not replaced.
 */
export function stackPrefix(book = rulebook()): string {
  if (book.id === DEFAULT_RULEBOOK_ID) return 'YimeiCredit';
  return `YimeiCredit${book.id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;
}

/** The whole deployment: stateful and stateless stacks in the service's region, the edge in us-east-1. */
export function createStacks(app: App, settings: Settings, account?: string) {
  const env: Environment = { account, region: settings.region };
  const prefix = stackPrefix();
  const city = rulebook().city.name;
  const edge = new EdgeStack(app, `${prefix}Edge`, {
    env: { account, region: 'us-east-1' },
    crossRegionReferences: true,
    description: `yimei-credit ${city}: WAF web ACL (and certificate) for CloudFront`,
    publicRateLimit: settings.publicRateLimit,
    overallRateLimit: settings.overallRateLimit,
    bodyCaps: ROUTE_BODY_CAPS,
    domainName: settings.domainName,
  });
  const stateful = new StatefulStack(app, `${prefix}Stateful`, {
    env,
    description: `yimei-credit ${city}: table, key, topics, secrets, user pool (retained on delete)`,
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${prefix}Stateless`, {
    env,
    crossRegionReferences: true,
    description: `yimei-credit ${city}: functions, HTTP API, CloudFront, schedules, queues, alarms`,
    stateful,
    webAclArn: edge.webAclArn,
    certificate: edge.certificate,
    domainName: settings.domainName,
    originDomainName:
      settings.originDomainName ?? (settings.domainName ? `origin.${settings.domainName}` : undefined),
    originCertificateArn: settings.originCertificateArn,
    alarmEmail: settings.alarmEmail,
    smsSenderId: settings.smsSenderId,
    smsTemplateId: settings.smsTemplateId,
    smsTemplateCodes: settings.smsTemplateCodes,
    wechatNoticeApi: settings.wechatNoticeApi,
    wechatTemplateId: settings.wechatTemplateId,
    smsMonthlyBudgetUsd: settings.smsMonthlyBudgetUsd,
    smsDailyLimitPerInstitution: settings.smsDailyLimitPerInstitution,
    smsMonthlyLimit: settings.smsMonthlyLimit,
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
