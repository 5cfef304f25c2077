import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  MAX_JSON_BODY_BYTES,
  MAX_OBJECTION_BODY_BYTES,
  MAX_UPGRADE_BODY_BYTES,
} from '../shared/http/body-limit.ts';
import { ORIGIN_VERIFY_HEADER } from '../shared/http/origin-verify.ts';
import { IMPORT_LIMITS } from '../shared/import/limits.ts';
import { NOTICE_KEY_PREFIX } from '../shared/store/keys.ts';
import type { FunctionName } from './bundling.ts';
import { type RouteLimit, throttleRoutes } from './constructs/api-hardening.ts';
import { PublicEdgeCache } from './constructs/edge-cache.ts';
import { ExportBucket } from './constructs/export-bucket.ts';
import {
  newSpecFunction,
  type FunctionSpec as SharedFunctionSpec,
  specEnvironment,
} from './constructs/function-spec.ts';
import { type JobSchedule, scheduleJobs } from './constructs/job-schedules.ts';
import { NoticeChannel } from './constructs/notice-channel.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { bindRegisterSnapshot } from './constructs/register-snapshot.ts';
import type { ServiceFunction } from './constructs/service-function.ts';
import { type BodyCap, LOG_RETENTION } from './constructs/waf-rules.ts';
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

/** A function of this profile: the shared spec, and what only the global profile gives. */
interface FunctionSpec extends SharedFunctionSpec<FunctionName> {
  /** Serves the HTTP API: answers only requests carrying CloudFront's secret origin header. */
  behindCloudFront?: boolean;
  wechatSecret?: boolean;
  /** Sends SMS directly through SNS (to phone numbers, which have no ARN). */
  sms?: boolean;
}

/** What each function is and may touch; the entry is `functions/<name>/handler.ts`. */
const FUNCTIONS: FunctionSpec[] = [
  {
    name: 'public-api',
    behindCloudFront: true,
    cursorSecret: true,
    memory: 1024,
    timeout: 10,
    table: 'read',
    reservedConcurrency: 50,
    quietPlatformLogs: true,
  },
  // The only public write; its own small pool, so objections cannot take concurrency from anyone else.
  {
    name: 'objections-api',
    behindCloudFront: true,
    cursorSecret: true,
    memory: 512,
    timeout: 10,
    table: 'write',
    reservedConcurrency: 10,
  },
  {
    name: 'admin-api',
    behindCloudFront: true,
    cursorSecret: true,
    memory: 1024,
    timeout: 29,
    table: 'write',
    publish: ['notices'],
    reservedConcurrency: 10,
  },
  // Spreadsheets: the memory a 20 MB inflated workbook needs, and few at a time (docs/imports.md).
  {
    name: 'imports-api',
    behindCloudFront: true,
    cursorSecret: true,
    memory: 2048,
    timeout: 29,
    table: 'write',
    publish: ['notices'],
    reservedConcurrency: 2,
  },
  {
    name: 'jobs',
    cursorSecret: true,
    memory: 1024,
    timeout: 300,
    table: 'write',
    publish: ['notices', 'changes'],
    reservedConcurrency: 2,
  },
  {
    name: 'wechat-sender',
    memory: 512,
    timeout: 30,
    table: 'write',
    partitions: [NOTICE_KEY_PREFIX],
    wechatSecret: true,
    reservedConcurrency: 5,
  },
  {
    name: 'sms-sender',
    memory: 512,
    timeout: 30,
    table: 'write',
    partitions: [NOTICE_KEY_PREFIX],
    sms: true,
    reservedConcurrency: 5,
  },
];

/** The scheduled jobs (Asia/Shanghai wall-clock times); the jobs function runs one by name. */
export const SCHEDULES: readonly JobSchedule[] = [
  { job: 'reminders', cron: { minute: '0', hour: '8' }, what: 're-review reminders, daily at 08:00' },
  { job: 'publicity', cron: { minute: '10', hour: '0' }, what: 'publicity start/end, daily after midnight' },
  { job: 'upgrade-window', cron: { minute: '0', hour: '9', day: '1', month: '1' }, what: 'upgrade window' },
  { job: 'feed-relay', cron: { minute: '0/5' }, what: 'change events to the public topic, every 5 minutes' },
  {
    job: 'grades-export',
    cron: { minute: '2/5' },
    what: 'grades CSV to the export bucket when the register changed',
  },
  { job: 'notice-outbox', cron: { minute: '0/15' }, what: 'parked notice requests, every 15 minutes' },
  {
    job: 'register-snapshot',
    cron: { minute: '*' },
    what: 'register snapshot for cold starts, every minute when the register changed',
  },
];

/** Paths served by the public (read-only) function, all without authorization. */
export const PUBLIC_ROUTES = [
  '/',
  '/docs',
  '/openapi.json',
  '/health',
  '/stats',
  '/i/{uscc}',
  '/v1/institutions',
  '/v1/institutions/{uscc}',
  '/v1/institutions/{uscc}/{proxy+}',
  '/v1/stats',
  '/v1/publicity',
  '/v1/changes',
  '/v1/changes.atom',
  '/v1/export/{proxy+}',
];

/** An institution's upgrade application, with its self-assessment report (the admin function). */
export const UPGRADE_APPLICATION_ROUTE = '/v1/institutions/{uscc}/upgrade-applications';

/** Paths served by the admin function behind the JWT authorizer. */
export const AUTHENTICATED_ROUTES = [
  '/v1/admin/{proxy+}',
  UPGRADE_APPLICATION_ROUTE,
  '/v1/institutions/{uscc}/upgrade-applications/{proxy+}',
  '/v1/institutions/{uscc}/contacts',
  '/v1/institutions/{uscc}/contacts/{proxy+}',
];

/**
 * Per-route throttles under the stage's 500/s: objections (the public write) get a small share, the
 * admin surface its own, so neither a flood of objections nor of admin calls takes the public reads'.
 */
export const ROUTE_LIMITS: Record<string, RouteLimit> = {
  'POST /v1/publicity/{resultId}/objections': { rateLimit: 20, burstLimit: 40 },
  ...Object.fromEntries(
    ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => [
      `${m} /v1/admin/{proxy+}`,
      { rateLimit: 50, burstLimit: 100 },
    ]),
  ),
};

/** The one write anyone may make: an objection to a result in publicity (the objections function). */
export const PUBLIC_WRITE_ROUTE = '/v1/publicity/{resultId}/objections';

/** Register imports (the imports function), behind the JWT authorizer. */
export const IMPORT_ROUTE = '/v1/admin/imports';

/**
 * The routes whose body limit is not the WAF common rule set's 8 KB, each refused at the WAF above the
 * limit the app enforces: imports the documented file size (the raw file is the body), the rest of the
 * regulators' API its JSON limit (a violation's description or a result's breakdown can pass 8 KB),
 * upgrade applications their report, objections their short text.
 */
export const ROUTE_BODY_CAPS: readonly BodyCap[] = [
  { name: 'Import', route: IMPORT_ROUTE, maxBytes: IMPORT_LIMITS.fileBytes },
  { name: 'AdminJson', route: '/v1/admin/{proxy+}', maxBytes: MAX_JSON_BODY_BYTES, except: [IMPORT_ROUTE] },
  { name: 'UpgradeApplication', route: UPGRADE_APPLICATION_ROUTE, maxBytes: MAX_UPGRADE_BODY_BYTES },
  { name: 'Objection', route: PUBLIC_WRITE_ROUTE, maxBytes: MAX_OBJECTION_BODY_BYTES },
];

const ADMIN_METHODS = [
  apigwv2.HttpMethod.GET,
  apigwv2.HttpMethod.POST,
  apigwv2.HttpMethod.PUT,
  apigwv2.HttpMethod.PATCH,
  apigwv2.HttpMethod.DELETE,
];

/**
 * Everything that can be destroyed and redeployed without losing data: the functions, the HTTP API
 * and its CloudFront distribution, the schedules, the notice queues and the alarms.
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

    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'yimei-credit public and authenticated API',
      createDefaultStage: false,
      // Only CloudFront (and its WAF) answers once the API has a custom domain to be reached through.
      disableExecuteApiEndpoint: props.originDomainName !== undefined,
      // CORS is for the public reads only: a browser on another site may GET, never write.
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [
          apigwv2.CorsHttpMethod.GET,
          apigwv2.CorsHttpMethod.HEAD,
          apigwv2.CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['if-none-match'],
        exposeHeaders: ['etag'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new apigwv2.HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // Without an origin domain the execute-api endpoint is reachable without CloudFront: this caps
      // what bypassing WAF could do.
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    throttleRoutes(stage, ROUTE_LIMITS);

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
    const originDomain = this.newOriginDomain(props, stage);
    // The public function is CloudFront's origin for the public reads through its own URL, which spares
    // every cache miss the HTTP API's fee (docs/performance.md#cost). That needs the public address
    // before the distribution exists (the function links to it, the distribution to the function), so
    // a deployment without a custom domain sends the public reads through the HTTP API instead.
    const readsViaFunctionUrl = props.domainName !== undefined;
    const apiOnlyDistribution = readsViaFunctionUrl ? undefined : this.newDistribution(props, originDomain);
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

    this.distribution =
      apiOnlyDistribution ??
      this.newDistribution(props, originDomain, this.publicReadOrigin(this.functions['public-api']));
    this.addRoutes(props, readsViaFunctionUrl);
    // The route settings name routes: the stage is deployed after them (the API itself it references).
    for (const route of this.api.node.children.filter((c) => c instanceof apigwv2.HttpRoute)) {
      stage.node.addDependency(route);
    }

    // The grades CSV: regenerated by the grades-export job, served by CloudFront from S3.
    const exports = new ExportBucket(this, 'Exports');
    exports.grantWriter(this.functions.jobs.fn);
    exports.serveThrough(this.distribution);
    bindRegisterSnapshot(exports.bucket, {
      writer: this.functions.jobs.fn,
      readers: [this.functions['public-api'].fn],
    });

    this.alarms = new OperationsAlarms(this, 'Alarms', { alarmEmail: props.alarmEmail });
    for (const spec of FUNCTIONS) this.alarms.watchFunction(spec.name, this.functions[spec.name]);
    this.alarms.watchApi(this.api);
    if (readsViaFunctionUrl) this.alarms.watchFunctionUrl('public-api', this.functions['public-api']);
    this.alarms.watchSmsSpend(props.smsMonthlyBudgetUsd);
    this.alarms.watchSmsWithheld('sms-sender', props.smsMonthlyLimit);

    for (const channel of ['wechat', 'sms'] as const) {
      const { deadLetterQueue } = new NoticeChannel(this, `${channel}-channel`, {
        channel,
        topic: stateful.noticesTopic,
        sender: this.functions[`${channel}-sender`],
      });
      this.alarms.watchDeadLetters(`${channel}-notices`, deadLetterQueue);
    }

    this.schedulerDeadLetters = scheduleJobs(this, this.functions.jobs.fn, SCHEDULES, this.alarms);

    new CfnOutput(this, 'PublicUrl', { value: publicBaseUrl });
    if (!originDomain) new CfnOutput(this, 'ApiEndpoint', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    // Invoked by hand for the on-demand jobs (docs/operations.md "One-off jobs").
    new CfnOutput(this, 'JobsFunctionName', { value: this.functions.jobs.fn.functionName });
  }

  private newFunction(spec: FunctionSpec, props: StatelessStackProps, common: Record<string, string>) {
    const { stateful } = props;
    const environment = specEnvironment(spec, stateful, common, props.guidanceContacts);
    if (spec.behindCloudFront) environment.ORIGIN_VERIFY_SECRET_ARN = this.originVerifySecret.secretArn;
    if (spec.wechatSecret) {
      environment.WECHAT_SECRET_ARN = stateful.wechatSecret.secretArn;
      if (props.wechatNoticeApi) environment.WECHAT_NOTICE_API = props.wechatNoticeApi;
      if (props.wechatTemplateId) environment.WECHAT_TEMPLATE_ID = props.wechatTemplateId;
    }
    if (spec.sms) {
      if (props.smsSenderId) environment.SMS_SENDER_ID = props.smsSenderId;
      if (props.smsTemplateId) environment.SMS_TEMPLATE_ID = props.smsTemplateId;
      if (props.smsTemplateCodes) environment.SMS_TEMPLATE_CODES = props.smsTemplateCodes;
      environment.SMS_DAILY_LIMIT_PER_INSTITUTION = String(props.smsDailyLimitPerInstitution);
      environment.SMS_MONTHLY_LIMIT = String(props.smsMonthlyLimit);
    }
    const fn = newSpecFunction(this, spec, stateful, environment);
    if (spec.behindCloudFront) fn.bindSecret(this.originVerifySecret, stateful.key);
    if (spec.wechatSecret) fn.bindSecret(stateful.wechatSecret, stateful.key);
    if (spec.sms) {
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

  /**
   * The API's regional custom domain that CloudFront reaches it through, so the execute-api endpoint
   * can be switched off. The operator points the name (CNAME) at the output target. Without a domain
   * the endpoint stays on and the synth says so.
   */
  private newOriginDomain(props: StatelessStackProps, stage: apigwv2.HttpStage) {
    if (!props.originDomainName) {
      Annotations.of(this.api).addWarning(
        'The execute-api endpoint stays on (a way around CloudFront and its WAF): pass -c domainName=... or -c originDomainName=... (docs/security.md).',
      );
      return undefined;
    }
    const certificate = props.originCertificateArn
      ? acm.Certificate.fromCertificateArn(this, 'OriginCertificate', props.originCertificateArn)
      : new acm.Certificate(this, 'OriginCertificate', {
          domainName: props.originDomainName,
          validation: acm.CertificateValidation.fromDns(),
        });
    const domain = new apigwv2.DomainName(this, 'OriginDomain', {
      domainName: props.originDomainName,
      certificate,
      securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
    });
    new apigwv2.ApiMapping(this, 'OriginMapping', { api: this.api, domainName: domain, stage });
    new CfnOutput(this, 'OriginDomainTarget', {
      description: `CNAME ${props.originDomainName} to this name at the domain's DNS provider`,
      value: domain.regionalDomainName,
    });
    return props.originDomainName;
  }

  /**
   * The public function's URL as CloudFront's origin: IAM-authenticated, so only this distribution's
   * signed requests (origin access control) invoke it, and carrying the origin header as the API does.
   */
  private publicReadOrigin(fn: ServiceFunction): cloudfront.IOrigin {
    const url = fn.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    return origins.FunctionUrlOrigin.withOriginAccessControl(url, {
      customHeaders: this.originHeaders(),
    });
  }

  /** Resolved by CloudFormation at deploy time (never in the template); replaces any viewer copy. */
  private originHeaders(): Record<string, string> {
    return { [ORIGIN_VERIFY_HEADER]: this.originVerifySecret.secretValue.unsafeUnwrap() };
  }

  private newDistribution(
    props: StatelessStackProps,
    originDomain: string | undefined,
    publicReads?: cloudfront.IOrigin,
  ): cloudfront.Distribution {
    const origin = new origins.HttpOrigin(
      originDomain ?? `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        customHeaders: this.originHeaders(),
      },
    );
    // Standard access logs: kept as long as every other log (LOG_RETENTION), never public.
    const logBucket = new s3.Bucket(this, 'CdnLogs', {
      // CloudFront's standard logging writes with object ACLs, which need ACLs enabled.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(LOG_RETENTION) }],
    });
    Validations.of(logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging its own access would log the log writes.',
    });
    // The public reads' cache key, normalised at the edge as the app treats requests alike.
    const publicEdge = new PublicEdgeCache(this, 'PublicEdge');
    // Authenticated and write paths: never cached, the Authorization header passed through.
    const uncached: cloudfront.BehaviorOptions = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };
    const distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'yimei-credit public site and API',
      defaultBehavior: {
        origin: publicReads ?? origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: publicEdge.cachePolicy,
        functionAssociations: publicEdge.functionAssociations,
        compress: true,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: {
        '/v1/admin/*': uncached,
        '/v1/institutions/*/upgrade-applications*': uncached,
        '/v1/institutions/*/contacts*': uncached,
        '/v1/publicity/*/objections': uncached,
      },
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
      // Price class 200 includes the Asian edges that serve mainland users.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(props.domainName && props.certificate
        ? {
            domainNames: [props.domainName],
            certificate: props.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Open data for anyone, including associations and visitors abroad: no geographic restriction.',
    });
    if (!props.domainName) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS policy cannot be set; pass -c domainName=... for TLS 1.2_2021.',
      });
    }
    return distribution;
  }

  private addRoutes(props: StatelessStackProps, readsViaFunctionUrl: boolean): void {
    const { stateful } = props;
    const publicIntegration = new HttpLambdaIntegration('Public', this.functions['public-api'].fn);
    const adminIntegration = new HttpLambdaIntegration('Admin', this.functions['admin-api'].fn);
    const objectionsIntegration = new HttpLambdaIntegration(
      'Objections',
      this.functions['objections-api'].fn,
    );
    const importsIntegration = new HttpLambdaIntegration('Imports', this.functions['imports-api'].fn);
    const authorizer = new HttpJwtAuthorizer('Cognito', stateful.issuer, {
      jwtAudience: [stateful.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    const publicRoutes = readsViaFunctionUrl
      ? []
      : PUBLIC_ROUTES.flatMap((path) =>
          this.api.addRoutes({ path, methods: [apigwv2.HttpMethod.GET], integration: publicIntegration }),
        );
    // Anything else (HEAD requests, page assets, unknown paths, a wrong method on a write path) goes to
    // the read-only function, which answers 404 or 405 for what it does not serve: a route forgotten
    // here can never reach the admin code.
    publicRoutes.push(
      new apigwv2.HttpRoute(this.api, 'CatchAll', {
        httpApi: this.api,
        routeKey: apigwv2.HttpRouteKey.DEFAULT,
        integration: publicIntegration,
      }),
    );
    publicRoutes.push(
      ...this.api.addRoutes({
        path: PUBLIC_WRITE_ROUTE,
        methods: [apigwv2.HttpMethod.POST],
        integration: objectionsIntegration,
      }),
    );
    for (const path of AUTHENTICATED_ROUTES) {
      this.api.addRoutes({ path, methods: ADMIN_METHODS, integration: adminIntegration, authorizer });
    }
    // More specific than /v1/admin/{proxy+}: API Gateway sends the import POST here, nothing else.
    this.api.addRoutes({
      path: IMPORT_ROUTE,
      methods: [apigwv2.HttpMethod.POST],
      integration: importsIntegration,
      authorizer,
    });
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Public open-data route (API.md "Public"): no authentication by design; rate-limited by WAF.',
      });
    }
  }
}
