import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { discoveryUrl } from '../../shared/auth/discovery.ts';
import type { FunctionName } from '../bundling.ts';
import { type CatalogueFunction, FUNCTIONS, SCHEDULES } from '../catalogue.ts';
import { ExportBucket } from '../constructs/export-bucket.ts';
import { newSpecFunction, specEnvironment } from '../constructs/function-spec.ts';
import { scheduleJobs } from '../constructs/job-schedules.ts';
import { NoticeChannel } from '../constructs/notice-channel.ts';
import { OperationsAlarms } from '../constructs/operations-alarms.ts';
import { bindRegisterSnapshot } from '../constructs/register-snapshot.ts';
import type { ServiceFunction } from '../constructs/service-function.ts';
import { EgressNetwork } from './egress-network.ts';
import { RegionalFrontDoor } from './front-door.ts';
import type { ChinaSettings } from './partition.ts';
import type { ChinaStatefulStack } from './stateful-stack.ts';

export interface ChinaStatelessStackProps extends StackProps {
  stateful: ChinaStatefulStack;
  settings: ChinaSettings;
}

/**
 * The China profile's functions, regional front door, egress network, notice channels, schedules and
 * alarms. Differences from the global profile: a regional REST API with a regional WAF instead of
 * CloudFront (whose China edition needs an ICP-filed CNAME and cannot carry WAF), the city's OIDC
 * provider instead of Cognito, Aliyun SMS instead of SNS SMS (not offered in China), and senders behind
 * NAT on Elastic IPs for WeChat's allow-list.
 */
export class ChinaStatelessStack extends Stack {
  readonly functions: Record<FunctionName, ServiceFunction>;
  readonly frontDoor: RegionalFrontDoor;
  readonly network: EgressNetwork;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: ChinaStatelessStackProps) {
    super(scope, id, props);
    const { stateful, settings } = props;
    this.network = new EgressNetwork(this, 'Egress', { natGateways: settings.natGateways });

    const publicBaseUrl = `https://${settings.domainName}`;
    const environment: Record<string, string> = {
      TABLE_NAME: stateful.table.tableName,
      PUBLIC_BASE_URL: publicBaseUrl,
      JWT_ISSUER: settings.oidcIssuer,
      JWT_AUDIENCE: settings.oidcAudience,
      // The provider's discovery document names its JWKS (Keycloak, Authing and others differ); an
      // explicit oidcJwksUrl overrides it.
      JWT_JWKS_URL: settings.oidcJwksUrl ?? discoveryUrl(settings.oidcIssuer),
      JWT_GROUPS_CLAIM: settings.oidcGroupsClaim,
      ICP_NUMBER: settings.icpNumber,
      STAGE: 'prod',
      ...(settings.calendarOverrides ? { CALENDAR_OVERRIDES: settings.calendarOverrides } : {}),
    };
    this.functions = Object.fromEntries(
      FUNCTIONS.map((spec) => [spec.name, this.newFunction(spec, props, environment)]),
    ) as Record<FunctionName, ServiceFunction>;

    this.frontDoor = new RegionalFrontDoor(this, 'FrontDoor', {
      functions: {
        'public-api': this.functions['public-api'].fn,
        'objections-api': this.functions['objections-api'].fn,
        'admin-api': this.functions['admin-api'].fn,
        'imports-api': this.functions['imports-api'].fn,
      },
      domainName: settings.domainName,
      certificateArn: settings.certificateArn,
      publicRateLimit: settings.publicRateLimit,
      overallRateLimit: settings.overallRateLimit,
    });

    this.alarms = new OperationsAlarms(this, 'Alarms', { alarmEmail: settings.alarmEmail });
    for (const spec of FUNCTIONS) this.alarms.watchFunction(spec.name, this.functions[spec.name]);
    this.alarms.watchRestApi(this.frontDoor.api);
    this.alarms.watchSmsWithheld('sms-sender', settings.smsMonthlyLimit);
    this.alarms.watchCalendarCoverage('jobs');
    for (const channel of ['wechat', 'sms'] as const) {
      const notices = new NoticeChannel(this, `${channel}-channel`, {
        channel,
        topic: stateful.noticesTopic,
        sender: this.functions[`${channel}-sender`],
      });
      this.alarms.watchDeadLetters(`${channel}-notices`, notices.deadLetterQueue);
      // No SQS redrive in the China regions: the jobs function's dead-letters job moves them back.
      notices.allowDeadLetterMove(this.functions.jobs);
    }
    scheduleJobs(this, this.functions.jobs.fn, SCHEDULES, this.alarms);
    // The grades CSV is regenerated into S3 here too. No CloudFront in the China regions: the public
    // function answers /v1/export/grades.csv with a 302 to a presigned S3 link instead of the body.
    const exports = new ExportBucket(this, 'Exports');
    exports.grantWriter(this.functions.jobs.fn);
    exports.grantReader(this.functions['public-api'].fn);
    bindRegisterSnapshot(exports.bucket, {
      writer: this.functions.jobs.fn,
      readers: [this.functions['public-api'].fn],
    });

    new CfnOutput(this, 'PublicUrl', { value: publicBaseUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    // Invoked by hand for the on-demand jobs (docs/operations.md "One-off jobs").
    new CfnOutput(this, 'JobsFunctionName', { value: this.functions.jobs.fn.functionName });
  }

  private newFunction(
    spec: CatalogueFunction,
    props: ChinaStatelessStackProps,
    common: Record<string, string>,
  ) {
    const { stateful, settings } = props;
    const environment = specEnvironment(spec, stateful, common, settings.guidanceContacts);
    if (spec.channel === 'wechat') {
      environment.WECHAT_SECRET_ARN = stateful.wechatSecret.secretArn;
      if (settings.wechatNoticeApi) environment.WECHAT_NOTICE_API = settings.wechatNoticeApi;
      if (settings.wechatTemplateId) environment.WECHAT_TEMPLATE_ID = settings.wechatTemplateId;
    }
    if (spec.channel === 'sms') {
      environment.SMS_PROVIDER = settings.smsProvider ?? 'aliyun';
      environment.SMS_SECRET_ARN = stateful.smsSecret.secretArn;
      if (settings.smsSignName) environment.SMS_SIGN_NAME = settings.smsSignName;
      if (settings.smsTemplateCodes) environment.SMS_TEMPLATE_CODES = settings.smsTemplateCodes;
      environment.SMS_DAILY_LIMIT_PER_INSTITUTION = String(settings.smsDailyLimitPerInstitution);
      environment.SMS_MONTHLY_LIMIT = String(settings.smsMonthlyLimit);
    }
    const fn = newSpecFunction(
      this,
      spec,
      stateful,
      environment,
      // The senders call providers that allow-list server IPs (WeChat; Aliyun SMS can too): NAT's Elastic IPs.
      spec.channel ? { vpc: this.network.vpc, vpcSubnets: this.network.privateSubnets } : {},
    );
    if (spec.channel === 'wechat') fn.bindSecret(stateful.wechatSecret, stateful.key);
    if (spec.channel === 'sms') fn.bindSecret(stateful.smsSecret, stateful.key);
    return fn;
  }
}
