import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../shared/http/origin-verify.ts';
import type { FunctionName } from './bundling.ts';
import { type CatalogueFunction, FUNCTIONS, SCHEDULES } from './catalogue.ts';
import { functionUrlOrigin, newDistribution } from './constructs/cdn.ts';
import { ExportBucket } from './constructs/export-bucket.ts';
import { newSpecFunction, specEnvironment } from './constructs/function-spec.ts';
import { addHttpRoutes, newHttpApi, newOriginDomain } from './constructs/http-api.ts';
import { scheduleJobs } from './constructs/job-schedules.ts';
import { NoticeChannel } from './constructs/notice-channel.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { bindRegisterSnapshot } from './constructs/register-snapshot.ts';
import type { ServiceFunction } from './constructs/service-function.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  stateful: StatefulStack;
  /** The CloudFront-scope web ACL (from the us-east-1 edge stack). */
  webAclArn: string;
  domainName?: string | undefined;
  /** us-east-1 certificate for `domainName`. */
  certificate?: acm.ICertificate | undefined;
  /** The API's regional custom domain, CloudFront's origin; with it execute-api is switched off. */
  originDomainName?: string | undefined;
  /** Imported regional certificate for `originDomainName`, instead of one issued by ACM. */
  originCertificateArn?: string | undefined;
  alarmEmail?: string | undefined;
  smsSenderId?: string | undefined;
  smsTemplateId?: string | undefined;
  smsTemplateCodes?: string | undefined;
  wechatNoticeApi?: 'template' | 'subscribe' | undefined;
  wechatTemplateId?: string | undefined;
  smsMonthlyBudgetUsd: number;
  smsDailyLimitPerInstitution: number;
  smsMonthlyLimit: number;
  calendarOverrides?: string | undefined;
  guidanceContacts?: string | undefined;
}

/**
 * Everything that can be destroyed and redeployed without losing data: the catalogue's functions
 * (infra/catalogue.ts), the HTTP API and its CloudFront distribution, the schedules, the notice queues
 * and the alarms.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, ServiceFunction>;
  readonly api: apigwv2.HttpApi;
  readonly distribution: cloudfront.Distribution;
  readonly alarms: OperationsAlarms;
  readonly schedulerDeadLetters: sqs.Queue;
  /** The value CloudFront sends as ORIGIN_VERIFY_HEADER, proving a request came through it and its WAF. */
  readonly originVerifySecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful } = props;
    const { api, stage } = newHttpApi(this, props);
    this.api = api;

    this.originVerifySecret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
      description: 'Header value CloudFront adds to every request it forwards to the API',
      encryptionKey: stateful.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.originVerifySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFront takes the value at deploy time and the functions at cold start: rotating it is a redeploy (docs/security.md), not a Secrets Manager rotation.',
    });
    // Resolved by CloudFormation at deploy time (never in the template); replaces any viewer copy.
    const originHeaders = { [ORIGIN_VERIFY_HEADER]: this.originVerifySecret.secretValue.unsafeUnwrap() };
    const originDomain = newOriginDomain(this, api, stage, props);
    const cdn = {
      apiOriginDomain: originDomain ?? `${api.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      originHeaders,
      webAclArn: props.webAclArn,
      domainName: props.domainName,
      certificate: props.certificate,
    };
    // The public function is CloudFront's origin for the public reads through its own URL, which spares
    // every cache miss the HTTP API's fee (docs/performance.md#cost). That needs the public address
    // before the distribution exists (the function links to it, the distribution to the function), so
    // a deployment without a custom domain sends the public reads through the HTTP API instead.
    const readsViaFunctionUrl = props.domainName !== undefined;
    const apiOnlyDistribution = readsViaFunctionUrl ? undefined : newDistribution(this, cdn);
    const publicBaseUrl = `https://${props.domainName ?? apiOnlyDistribution?.distributionDomainName}`;

    const environment: Record<string, string> = {
      TABLE_NAME: stateful.table.tableName,
      PUBLIC_BASE_URL: publicBaseUrl,
      JWT_ISSUER: stateful.issuer,
      JWT_AUDIENCE: stateful.userPoolClient.userPoolClientId,
      JWT_JWKS_URL: `${stateful.issuer}/.well-known/jwks.json`,
      STAGE: 'prod',
      ...(props.calendarOverrides ? { CALENDAR_OVERRIDES: props.calendarOverrides } : {}),
    };
    this.functions = Object.fromEntries(
      FUNCTIONS.map((spec) => [spec.name, this.newFunction(spec, props, environment)]),
    ) as Record<FunctionName, ServiceFunction>;
    const fns = this.functions;

    this.distribution =
      apiOnlyDistribution ??
      newDistribution(this, { ...cdn, publicReads: functionUrlOrigin(fns['public-api'].fn, originHeaders) });
    addHttpRoutes(
      api,
      stage,
      {
        'public-api': fns['public-api'].fn,
        'objections-api': fns['objections-api'].fn,
        'admin-api': fns['admin-api'].fn,
        'imports-api': fns['imports-api'].fn,
      },
      { issuer: stateful.issuer, audience: stateful.userPoolClient.userPoolClientId, readsViaFunctionUrl },
    );

    // The grades CSV: regenerated by the grades-export job, served by CloudFront from S3.
    const exports = new ExportBucket(this, 'Exports');
    exports.grantWriter(fns.jobs.fn);
    exports.serveThrough(this.distribution);
    bindRegisterSnapshot(exports.bucket, { writer: fns.jobs.fn, readers: [fns['public-api'].fn] });

    this.alarms = new OperationsAlarms(this, 'Alarms', { alarmEmail: props.alarmEmail });
    for (const spec of FUNCTIONS) this.alarms.watchFunction(spec.name, fns[spec.name]);
    this.alarms.watchApi(api);
    if (readsViaFunctionUrl) this.alarms.watchFunctionUrl('public-api', fns['public-api']);
    this.alarms.watchSmsSpend(props.smsMonthlyBudgetUsd);
    this.alarms.watchSmsWithheld('sms-sender', props.smsMonthlyLimit);
    this.alarms.watchCalendarCoverage('jobs');

    for (const channel of ['wechat', 'sms'] as const) {
      const notices = new NoticeChannel(this, `${channel}-channel`, {
        channel,
        topic: stateful.noticesTopic,
        sender: fns[`${channel}-sender`],
      });
      this.alarms.watchDeadLetters(`${channel}-notices`, notices.deadLetterQueue);
      // No SQS redrive in the China regions: the jobs function's dead-letters job moves them back.
      notices.allowDeadLetterMove(fns.jobs);
    }

    this.schedulerDeadLetters = scheduleJobs(this, fns.jobs.fn, SCHEDULES, this.alarms);

    new CfnOutput(this, 'PublicUrl', { value: publicBaseUrl });
    if (!originDomain) new CfnOutput(this, 'ApiEndpoint', { value: api.apiEndpoint });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    // Invoked by hand for the on-demand jobs (docs/operations.md "One-off jobs").
    new CfnOutput(this, 'JobsFunctionName', { value: fns.jobs.fn.functionName });
  }

  private newFunction(spec: CatalogueFunction, props: StatelessStackProps, common: Record<string, string>) {
    const { stateful } = props;
    const environment = specEnvironment(spec, stateful, common, props.guidanceContacts);
    // Every HTTP function answers only what came through CloudFront.
    if (spec.trigger === 'http') environment.ORIGIN_VERIFY_SECRET_ARN = this.originVerifySecret.secretArn;
    if (spec.channel === 'wechat') {
      environment.WECHAT_SECRET_ARN = stateful.wechatSecret.secretArn;
      if (props.wechatNoticeApi) environment.WECHAT_NOTICE_API = props.wechatNoticeApi;
      if (props.wechatTemplateId) environment.WECHAT_TEMPLATE_ID = props.wechatTemplateId;
    }
    if (spec.channel === 'sms') {
      if (props.smsSenderId) environment.SMS_SENDER_ID = props.smsSenderId;
      if (props.smsTemplateId) environment.SMS_TEMPLATE_ID = props.smsTemplateId;
      if (props.smsTemplateCodes) environment.SMS_TEMPLATE_CODES = props.smsTemplateCodes;
      environment.SMS_DAILY_LIMIT_PER_INSTITUTION = String(props.smsDailyLimitPerInstitution);
      environment.SMS_MONTHLY_LIMIT = String(props.smsMonthlyLimit);
    }
    const fn = newSpecFunction(this, spec, stateful, environment);
    if (spec.trigger === 'http') fn.bindSecret(this.originVerifySecret, stateful.key);
    if (spec.channel === 'wechat') fn.bindSecret(stateful.wechatSecret, stateful.key);
    if (spec.channel === 'sms') {
      // A phone number has no ARN, so SMS needs Resource "*"; the deny keeps every topic out of it.
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['sns:Publish'],
          resources: [`arn:${this.partition}:sns:*:*:*`],
        }),
      );
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'SNS SMS publishes to a phone number, which has no ARN; publishing to any topic is denied.',
      });
    }
    return fn;
  }
}
