import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULED_JOBS } from '#shared/schemas/job-event.ts';
import {
  allowStatements,
  envOf,
  resourcesOf,
  roleIdOf,
  serviceFunction,
  serviceFunctionsOf,
  singleResource,
  statementsOfRole,
  Template,
  testDeployment,
} from '#test/support/infra.ts';
import {
  AUTHENTICATED_ROUTES,
  IMPORT_ROUTE,
  PUBLIC_ROUTES,
  PUBLIC_WRITE_ROUTE,
  routesOf,
} from '../../infra/catalogue.ts';

const { stateful, stateless } = testDeployment();
const template = Template.fromStack(stateless);

type Props = Record<string, unknown>;
const propsOf = (type: string) => resourcesOf(template, type).map(([id, r]) => [id, r.Properties] as const);

const serviceFunctions = () => serviceFunctionsOf(template).map(([id, f]) => [id, f.Properties] as const);
const functionOf = (service: string) => {
  const [id, f] = serviceFunction(template, service);
  return { id, props: f.Properties };
};
const roleOf = (service: string) => roleIdOf(serviceFunction(template, service)[1]);
const allowsOfRole = (roleId: string) =>
  statementsOfRole(template, roleId).filter((s) => s.Effect === 'Allow');
const actionsOfRole = (roleId: string) => allowsOfRole(roleId).flatMap((s) => [s.Action].flat());
/** The secrets a role may read: only the cursor secret, for the functions that serve the API. */
const secretsOfRole = (roleId: string) =>
  allowsOfRole(roleId)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')))
    .map((s) => JSON.stringify(s.Resource));

describe('StatelessStack functions', () => {
  it('builds every service function alike: Node 22 on arm64, explicit timeout and memory, Powertools env, no source-map flag', () => {
    const fns = serviceFunctions();
    expect(
      serviceFunctionsOf(template)
        .map(([, f]) => envOf(f).POWERTOOLS_SERVICE_NAME)
        .sort(),
    ).toEqual(
      [
        'admin-api',
        'imports-api',
        'jobs',
        'objections-api',
        'public-api',
        'sms-sender',
        'wechat-sender',
      ].sort(),
    );
    for (const [, p] of fns) {
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Timeout).toBeGreaterThan(0);
      expect(p.MemorySize).toBeGreaterThanOrEqual(512);
      const env = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({
        LOG_LEVEL: 'INFO',
        STAGE: 'prod',
        POWERTOOLS_METRICS_NAMESPACE: 'YimeiCredit',
      });
      expect(String(env.NODE_OPTIONS ?? '')).not.toContain('enable-source-maps');
      expect(p.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
  });

  it('runs every function from its own bundle: index.handler of one asset per function', () => {
    const fns = serviceFunctions();
    for (const [, p] of fns) expect(p.Handler).toBe('index.handler');
    const keys = fns.map(([, p]) => JSON.stringify((p.Code as { S3Key?: unknown }).S3Key));
    expect(new Set(keys).size).toBe(fns.length);
  });

  it('gives objections and imports their own reserved concurrency, and imports more memory than the admin API', () => {
    const objections = functionOf('objections-api').props;
    const imports = functionOf('imports-api').props;
    expect(objections.ReservedConcurrentExecutions).toBeGreaterThan(0);
    expect(imports.ReservedConcurrentExecutions).toBeGreaterThan(0);
    expect(Number(imports.MemorySize)).toBeGreaterThan(Number(functionOf('admin-api').props.MemorySize));
    // Every other function has its own pool too (test/infra/hardening.test.ts).
    for (const other of ['public-api', 'admin-api']) {
      expect(functionOf(other).props.ReservedConcurrentExecutions, other).toBeGreaterThan(0);
    }
  });

  it('lets the objections function publish nothing and read no secret but the cursor key and the origin header', () => {
    const actions = actionsOfRole(roleOf('objections-api'));
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.filter((a) => /^(sns|sqs):/.test(a))).toEqual([]);
    const secrets = secretsOfRole(roleOf('objections-api'));
    expect(secrets).toHaveLength(1);
    expect(JSON.parse(secrets[0] ?? '[]')).toHaveLength(2);
    expect(secrets[0]).toMatch(/CursorSecret/);
    expect(secrets[0]).toMatch(/OriginVerifySecret/);
  });

  it('keeps each function log group for a bounded retention', () => {
    const groups = propsOf('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(serviceFunctions().length);
    for (const [, g] of groups) expect(g.RetentionInDays).toBeGreaterThan(0);
  });

  it('gives the public function only GetItem/Query/BatchGetItem on the table and its indexes', () => {
    const dynamo = actionsOfRole(roleOf('public-api')).filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo).toContain('dynamodb:GetItem');
    expect(dynamo).toContain('dynamodb:Query');
    expect(
      dynamo.filter((a) => !['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'].includes(a)),
    ).toEqual([]);
  });

  it('lets no role write or publish that is not meant to: the public function has no sns, sqs or write action', () => {
    const actions = actionsOfRole(roleOf('public-api'));
    const forbidden = actions.filter(
      (a) => /^(sns|sqs):/.test(a) || /^dynamodb:.*(Put|Update|Delete|Write)/.test(a),
    );
    expect(forbidden).toEqual([]);
    expect(secretsOfRole(roleOf('public-api')).every((r) => r.includes('CursorSecret'))).toBe(true);
  });

  it('grants no Scan anywhere, not even through a wildcard', () => {
    const statements = allowStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    const matchesScan = (action: string) =>
      new RegExp(`^${action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(
        'dynamodb:Scan',
      );
    const offending = statements.flatMap((s) => s.Action.filter(matchesScan).map((a) => `${s.policy}: ${a}`));
    expect(offending).toEqual([]);
  });
});

describe('StatelessStack HTTP API', () => {
  const routes = propsOf('AWS::ApiGatewayV2::Route').map(([, p]) => p);
  const integrations = new Map(propsOf('AWS::ApiGatewayV2::Integration'));
  /** The logical id of the function behind a route target (`integrations/<IntegrationId>`). */
  const integrationFunction = (target: string | undefined) => {
    const id = /"Ref":"([^"]+)"/.exec(target ?? '')?.[1];
    const uri = JSON.stringify(integrations.get(id ?? '')?.IntegrationUri);
    return /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(uri)?.[1];
  };
  const pathOf = (p: Props) => String(p.RouteKey).replace(/^\S+ /, '');

  it('puts the JWT authorizer on every authenticated route, for each of its methods', () => {
    const authenticated = routes.filter((r) => AUTHENTICATED_ROUTES.includes(pathOf(r)));
    expect(authenticated.map((r) => r.RouteKey).sort()).toEqual(
      routesOf('admin-api')
        .flatMap((r) => r.methods.map((m) => `${m} ${r.path}`))
        .sort(),
    );
    for (const r of authenticated) {
      expect(r).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
    }
    for (const r of routes.filter((r) => pathOf(r).startsWith('/v1/admin'))) {
      expect(r.AuthorizationType).toBe('JWT');
    }
  });

  it('leaves every public route open, and sends the objection POST to the objections function', () => {
    const open = routes.filter((r) => ![...AUTHENTICATED_ROUTES, IMPORT_ROUTE].includes(pathOf(r)));
    expect(open.map((r) => r.RouteKey).sort()).toEqual(
      [...PUBLIC_ROUTES.map((p) => `GET ${p}`), `POST ${PUBLIC_WRITE_ROUTE}`, '$default'].sort(),
    );
    for (const r of open) {
      expect(r.AuthorizationType).toBe('NONE');
      expect(r.AuthorizerId).toBeUndefined();
    }
    const targetOf = (key: string) => JSON.stringify(routes.find((r) => r.RouteKey === key)?.Target);
    const adminTarget = targetOf(`GET ${AUTHENTICATED_ROUTES[0]}`);
    const publicTarget = targetOf('$default');
    const objectionTarget = targetOf(`POST ${PUBLIC_WRITE_ROUTE}`);
    expect(new Set([adminTarget, publicTarget, objectionTarget]).size).toBe(3);
    for (const p of PUBLIC_ROUTES) expect(targetOf(`GET ${p}`)).toBe(publicTarget);
    expect(integrationFunction(objectionTarget)).toBe(functionOf('objections-api').id);
  });

  it('sends the import POST, behind the JWT authorizer, to the imports function and nothing else there', () => {
    const imports = routes.filter((r) => pathOf(r) === IMPORT_ROUTE);
    expect(imports.map((r) => r.RouteKey)).toEqual([`POST ${IMPORT_ROUTE}`]);
    expect(imports[0]).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
    expect(integrationFunction(JSON.stringify(imports[0]?.Target))).toBe(functionOf('imports-api').id);
    const importTarget = JSON.stringify(imports[0]?.Target);
    const others = routes.filter((r) => pathOf(r) !== IMPORT_ROUTE);
    for (const r of others) expect(JSON.stringify(r.Target), String(r.RouteKey)).not.toBe(importTarget);
  });

  it('checks tokens of the Cognito user pool, for the app client', () => {
    const producer = Template.fromStack(stateful);
    const exportOf = (type: string) => {
      const [[id] = []] = resourcesOf(producer, type);
      const outputs = Object.values(producer.toJSON().Outputs as Record<string, Props>);
      const exported = outputs.find(
        (o) => o.Export && JSON.stringify(o.Value) === JSON.stringify({ Ref: id }),
      );
      return (exported?.Export as Props | undefined)?.Name;
    };
    const authorizer = singleResource(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ 'Fn::ImportValue': exportOf('AWS::Cognito::UserPoolClient') }] },
    });
    const issuer = JSON.stringify((authorizer.Properties.JwtConfiguration as Props).Issuer);
    expect(issuer).toContain('https://cognito-idp.');
    expect(issuer).toContain(`{"Fn::ImportValue":"${exportOf('AWS::Cognito::UserPool')}"}`);
  });

  it('throttles and access-logs the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue() }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });
});

describe('StatelessStack CloudFront', () => {
  const dist = singleResource(template, 'AWS::CloudFront::Distribution');
  const config = (dist.Properties as { DistributionConfig: Record<string, never> }).DistributionConfig;
  const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
  const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

  it('caches public answers only as the origin Cache-Control says, keyed on the parameters routes read and Accept', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          QueryStringsConfig: {
            QueryStringBehavior: 'whitelist',
            QueryStrings: Match.arrayWith(['q', 'district', 'limit', 'cursor', 'since']),
          },
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Accept'] },
          CookiesConfig: { CookieBehavior: 'none' },
        }),
      }),
    });
    expect(config.DefaultCacheBehavior).toMatchObject({ CachePolicyId: { Ref: expect.any(String) } });
  });

  it('rewrites each public read at the edge before the cache looks it up', () => {
    const fn = singleResource(template, 'AWS::CloudFront::Function');
    expect(fn.Properties).toMatchObject({
      AutoPublish: true,
      FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
      FunctionCode: expect.stringContaining('function handler(event)'),
    });
    expect(config.DefaultCacheBehavior).toMatchObject({
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
    });
  });

  it('passes the viewer address to the public reads outside the cache key, for their per-client limits', () => {
    const ref = (config.DefaultCacheBehavior as unknown as { OriginRequestPolicyId?: { Ref?: string } })
      .OriginRequestPolicyId?.Ref;
    const policy = propsOf('AWS::CloudFront::OriginRequestPolicy').find(([id]) => id === ref)?.[1]
      .OriginRequestPolicyConfig as
      | {
          HeadersConfig: { HeaderBehavior: string; Headers: string[] };
          QueryStringsConfig: { QueryStringBehavior: string };
        }
      | undefined;
    expect(policy?.HeadersConfig).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: ['CloudFront-Viewer-Address'],
    });
    expect(policy?.QueryStringsConfig.QueryStringBehavior).toBe('none');
    const cachePolicies = propsOf('AWS::CloudFront::CachePolicy').map(([, p]) => JSON.stringify(p));
    for (const p of cachePolicies) expect(p).not.toContain('CloudFront-Viewer-Address');
  });

  it('never caches authenticated or write paths and passes their Authorization header', () => {
    const behaviours = config.CacheBehaviors as unknown as Record<string, unknown>[];
    const paths = behaviours.map((b) => b.PathPattern);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/admin/*', '/v1/institutions/*/contacts', '/v1/publicity/*/objections']),
    );
    const objections = '/v1/publicity/*/objections';
    for (const b of behaviours.filter(
      (b) => b.PathPattern !== '/v1/export/*' && b.PathPattern !== objections,
    )) {
      expect(b).toMatchObject({
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
      });
    }
    // Objections are counted per client: their origin request carries the viewer address CloudFront
    // adds, and only the viewer headers the form reads (no Host, no cookies).
    const objection = behaviours.find((b) => b.PathPattern === objections);
    expect(objection).toMatchObject({
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: { Ref: expect.any(String) },
    });
    const policyId = (objection?.OriginRequestPolicyId as { Ref: string } | undefined)?.Ref;
    const policy = propsOf('AWS::CloudFront::OriginRequestPolicy').find(([id]) => id === policyId)?.[1]
      .OriginRequestPolicyConfig as {
      HeadersConfig: { HeaderBehavior: string; Headers: string[] };
      CookiesConfig: { CookieBehavior: string };
    };
    expect(policy.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(policy.HeadersConfig.Headers).toContain('CloudFront-Viewer-Address');
    expect(policy.HeadersConfig.Headers.map((h) => h.toLowerCase())).not.toContain('host');
    expect(policy.CookiesConfig.CookieBehavior).toBe('none');
  });

  it('serves the exports from S3 with a cache key and origin request free of query strings', () => {
    const behaviours = config.CacheBehaviors as unknown as Record<string, unknown>[];
    const exportBehaviour = behaviours.find((b) => b.PathPattern === '/v1/export/*');
    expect(exportBehaviour).toBeDefined();
    expect(exportBehaviour?.OriginRequestPolicyId).toBeUndefined();
    const policies = propsOf('AWS::CloudFront::CachePolicy').map(([, p]) => p.CachePolicyConfig as never);
    const exportPolicy = policies.find((c: { Comment?: string }) => c.Comment?.startsWith('Exports')) as
      | { ParametersInCacheKeyAndForwardedToOrigin: Record<string, { QueryStringBehavior?: string }> }
      | undefined;
    expect(
      exportPolicy?.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig?.QueryStringBehavior,
    ).toBe('none');
  });

  it('is protected by the web ACL and speaks HTTPS only to the API', () => {
    expect(config.WebACLId).toBeDefined();
    expect(JSON.stringify(config.Origins)).toContain('"OriginProtocolPolicy":"https-only"');
  });
});

describe('StatelessStack schedules', () => {
  const schedules = propsOf('AWS::Scheduler::Schedule').map(([, p]) => p);

  it('names the jobs function in an output, for the jobs that run only on demand', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.JobsFunctionName?.Value).toEqual({ Ref: functionOf('jobs').id });
  });

  it('runs every job on an Asia/Shanghai schedule, with retries and a dead-letter queue', () => {
    const jobs = schedules.map((s) => JSON.parse((s.Target as { Input: string }).Input).job);
    expect(jobs.sort()).toEqual([...SCHEDULED_JOBS].sort());
    for (const s of schedules) {
      expect(s.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
      expect(s.Target).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
        DeadLetterConfig: { Arn: expect.anything() },
      });
    }
  });

  it('passes the scheduled time so a retried run does the same day', () => {
    for (const s of schedules) {
      expect(JSON.parse((s.Target as { Input: string }).Input).scheduledAt).toBe(
        '<aws.scheduler.scheduled-time>',
      );
    }
  });

  it('runs the upgrade window on 1 January', () => {
    const upgrade = schedules.find((s) => (s.Target as { Input: string }).Input.includes('upgrade-window'));
    expect(upgrade?.ScheduleExpression).toMatch(/^cron\(\S+ \S+ 1 1 \? \*\)$/);
  });
});

describe('StatelessStack notice delivery', () => {
  const queues = propsOf('AWS::SQS::Queue');
  const queueIds = queues.map(([id]) => id);
  const deadLetterIds = new Set([
    ...queues.flatMap(([, q]) => {
      const arn = (q.RedrivePolicy as { deadLetterTargetArn?: { 'Fn::GetAtt': string[] } } | undefined)
        ?.deadLetterTargetArn;
      return arn ? [arn['Fn::GetAtt'][0]] : [];
    }),
    ...propsOf('AWS::Scheduler::Schedule').map(
      ([, s]) =>
        (s.Target as { DeadLetterConfig: { Arn: { 'Fn::GetAtt': string[] } } }).DeadLetterConfig.Arn[
          'Fn::GetAtt'
        ][0],
    ),
  ]);

  it('gives every work queue a dead-letter queue and encrypts every queue', () => {
    for (const [id, q] of queues) {
      if (!deadLetterIds.has(id))
        expect(q.RedrivePolicy, id).toMatchObject({ maxReceiveCount: expect.any(Number) });
      expect(q.SqsManagedSseEnabled ?? q.KmsMasterKeyId, id).toBeTruthy();
    }
    expect(deadLetterIds.size).toBe(3);
  });

  it('refuses plain-HTTP access to every queue', () => {
    const policies = propsOf('AWS::SQS::QueuePolicy');
    for (const id of queueIds) {
      const policy = policies.find(([, p]) => JSON.stringify(p.Queues).includes(`"${id}"`));
      expect(JSON.stringify(policy?.[1].PolicyDocument), id).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('alarms on any message in any dead-letter queue', () => {
    const alarmed = propsOf('AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(([, a]) => (a.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[])[0]?.Value['Fn::GetAtt'][0]);
    expect(new Set(alarmed)).toEqual(deadLetterIds);
  });

  it('routes notices to one queue per channel by the channel attribute, read with partial batch failures', () => {
    const subs = propsOf('AWS::SNS::Subscription').map(([, s]) => s);
    expect(subs.map((s) => s.FilterPolicy)).toEqual(
      expect.arrayContaining([{ channel: ['wechat'] }, { channel: ['sms'] }]),
    );
    for (const s of subs) expect(s).toMatchObject({ Protocol: 'sqs', RawMessageDelivery: true });
    const mappings = propsOf('AWS::Lambda::EventSourceMapping').map(([, m]) => m);
    expect(mappings).toHaveLength(2);
    for (const m of mappings) expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });
});

describe('StatelessStack alarms', () => {
  const alarms = propsOf('AWS::CloudWatch::Alarm').map(([, a]) => a);

  it('alarms on errors and throttles of every function', () => {
    for (const metric of ['Errors', 'Throttles']) {
      const fns = alarms
        .filter((a) => a.MetricName === metric && a.Namespace === 'AWS/Lambda')
        .map((a) => (a.Dimensions as { Value: { Ref: string } }[])[0]?.Value.Ref);
      expect(fns.sort()).toEqual(
        serviceFunctions()
          .map(([id]) => id)
          .sort(),
      );
    }
  });

  it('alarms on the API 5xx rate and on the SMS spend of the month', () => {
    expect(JSON.stringify(alarms)).toContain('5xx');
    expect(alarms.some((a) => a.MetricName === 'SMSMonthToDateSpentUSD' && a.Namespace === 'AWS/SNS')).toBe(
      true,
    );
  });

  it('alarms when the monthly SMS budget has stopped sending, and gives the sender its limits', () => {
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'YimeiCredit',
        MetricName: 'SmsWithheldMonthlyBudget',
        Dimensions: [{ Name: 'service', Value: 'sms-sender' }],
        Statistic: 'Sum',
        Threshold: 1,
      }),
    );
    const { props } = functionOf('sms-sender');
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      SMS_DAILY_LIMIT_PER_INSTITUTION: '20',
      SMS_MONTHLY_LIMIT: '5000',
    });
  });

  it('alarms when the daily job finds the working-day calendar short, on the metric the job counts', () => {
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'YimeiCredit',
        MetricName: 'CalendarCoverageShort',
        Dimensions: [{ Name: 'service', Value: 'jobs' }],
        Statistic: 'Sum',
        Period: 86_400,
        Threshold: 1,
      }),
    );
    const jobs = functionOf('jobs').props;
    expect((jobs.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'jobs',
      POWERTOOLS_METRICS_NAMESPACE: 'YimeiCredit',
    });
  });

  it('sends every alarm to the alarm topic', () => {
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
  });
});
