import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  MAX_JSON_BODY_BYTES,
  MAX_OBJECTION_BODY_BYTES,
  MAX_UPGRADE_BODY_BYTES,
} from '#shared/http/body-limit.ts';
import { IMPORT_LIMITS } from '#shared/import/limits.ts';
import { NOTICE_KEY_PREFIX } from '#shared/store/keys.ts';
import {
  envOf,
  type PolicyStatement,
  profileTemplates,
  resourcesOf,
  roleIdOf,
  serviceFunction,
  serviceFunctionsOf,
  statementsOfRole,
  type Template,
} from '#test/support/infra.ts';
import { matches, type WafRequest } from '#test/support/waf-eval.ts';
import { OBJECTION_PATH_PATTERN } from '../../infra/constructs/cdn.ts';
import { integerAbovePattern, OVERSIZE_BODY_LABEL } from '../../infra/constructs/waf-rules.ts';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-verify.ts';

const CHINA_CONTEXT = {
  region: 'cn-north-1',
  domainName: 'credit.example.cn',
  icpNumber: '浙ICP备00000000号',
  oidcIssuer: 'https://id.example.cn',
  oidcAudience: 'yimei-credit',
};

// Three synths, shared by every assertion below.
const globalDefault = profileTemplates();
const globalWithDomain = profileTemplates({ domainName: 'credit.example.com' });
const china = profileTemplates(CHINA_CONTEXT);

type Json = Record<string, unknown>;
interface Rule {
  Name: string;
  Priority: number;
  Statement: Json;
  Action?: { Block?: { CustomResponse?: { ResponseCode: number } } };
}

const webAclOf = (t: Template) => {
  const [acl] = resourcesOf(t, 'AWS::WAFv2::WebACL');
  if (!acl) throw new Error('no web ACL');
  return acl[1].Properties as { Rules: Rule[] };
};

/** What the web ACL does to a request: the first terminating rule's status, or 'allow'. */
function verdict(rules: Rule[], req: WafRequest): number | 'allow' {
  const labels = [...(req.labels ?? [])];
  for (const rule of [...rules].sort((a, b) => a.Priority - b.Priority)) {
    if (rule.Statement.ManagedRuleGroupStatement || rule.Statement.RateBasedStatement) continue;
    if (matches(rule.Statement, { ...req, labels })) {
      return rule.Action?.Block?.CustomResponse?.ResponseCode ?? 403;
    }
  }
  return 'allow';
}

describe('a declared length above a cap', () => {
  it.each([0, 9, 10, 99, 100, 1999, 8192, 65536, 5 * 1024 * 1024])(
    'matches exactly the integers above %i',
    (cap) => {
      const above = new RegExp(integerAbovePattern(cap));
      const probes = [0, 1, cap - 1, cap, cap + 1, cap + 9, cap * 10, cap * 10 + 1, 10 ** String(cap).length];
      for (let n = 1; n < 2_000_000; n = n * 3 + 7) probes.push(n, cap + n, Math.max(0, cap - n));
      for (const n of probes.filter((p) => p >= 0)) {
        expect(above.test(String(n)), `${n} vs ${cap}`).toBe(n > cap);
        expect(above.test(`00${n}`), `00${n} vs ${cap}`).toBe(n > cap);
      }
      expect(above.test('')).toBe(false);
      expect(above.test(`${cap + 1} `)).toBe(false);
    },
  );
});

describe.each([
  ['global (CloudFront web ACL)', () => globalDefault.edge as Template],
  ['China (regional web ACL)', () => china.stateless],
])('the %s', (_, template) => {
  const rules = () => webAclOf(template()).Rules;
  const oversizeLabel = [OVERSIZE_BODY_LABEL];

  it('lets the common rule set only label bodies over 8 KB, and refuses those with 413 except on the capped larger routes', () => {
    const group = rules().find((r) => r.Statement.ManagedRuleGroupStatement)?.Statement
      .ManagedRuleGroupStatement as Json;
    expect(group.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    const at = (path: string) => verdict(rules(), { path, bodyBytes: 9000, labels: oversizeLabel });
    expect(at('/v1/')).toBe(413);
    expect(at('/v1/institutions')).toBe(413);
    expect(at('/v1/admin/institutions')).toBe('allow');
    expect(at('/v1/admin/imports')).toBe('allow');
    expect(at('/v1/institutions/91330100MA2XXXXX0X/upgrade-applications')).toBe('allow');
    expect(at('/v1/institutions/91330100MA2XXXXX0X/upgrade-applications/a/decision')).toBe(413);
    expect(at('/v1/publicity/r-1/objections')).toBe(413);
  });

  it('caps imports at the documented file size by their declared length', () => {
    const post = (length: number, path = '/v1/admin/imports') =>
      verdict(rules(), { path, headers: { 'content-length': String(length) }, bodyBytes: length });
    expect(post(IMPORT_LIMITS.fileBytes)).toBe('allow');
    expect(post(IMPORT_LIMITS.fileBytes + 1)).toBe(413);
    // Only the import route itself takes the file size; any other admin path has the JSON limit.
    expect(post(MAX_JSON_BODY_BYTES + 1, '/v1/admin/imports/x')).toBe(413);
    expect(post(MAX_JSON_BODY_BYTES + 1)).toBe('allow');
  });

  it('caps the rest of the regulators’ API at the app’s JSON limit, by declared length', () => {
    const post = (length: number, path: string) =>
      verdict(rules(), {
        path,
        headers: { 'content-length': String(length) },
        bodyBytes: length,
        labels: oversizeLabel,
      });
    for (const path of ['/v1/admin/institutions', '/v1/admin/results/r-1/violations']) {
      expect(post(MAX_JSON_BODY_BYTES, path), path).toBe('allow');
      expect(post(MAX_JSON_BODY_BYTES + 1, path), path).toBe(413);
    }
    expect(post(20_000, '/v1/admin')).toBe(413);
  });

  it('caps upgrade applications at the app’s 64 KiB, by declared length', () => {
    const path = '/v1/institutions/91330100MA2XXXXX0X/upgrade-applications';
    const post = (length: number) =>
      verdict(rules(), { path, headers: { 'content-length': String(length) }, bodyBytes: length });
    expect(post(MAX_UPGRADE_BODY_BYTES)).toBe('allow');
    expect(post(MAX_UPGRADE_BODY_BYTES + 1)).toBe(413);
  });

  it('caps objections at 8 KiB by declared length and by the body itself, a body past what WAF reads included', () => {
    const path = '/v1/publicity/r-1/objections';
    expect(verdict(rules(), { path, headers: { 'content-length': '8192' }, bodyBytes: 8192 })).toBe('allow');
    expect(verdict(rules(), { path, headers: { 'content-length': '8193' }, bodyBytes: 100 })).toBe(413);
    // Sent without a Content-Length (chunked): measured, and oversize counts as over.
    expect(verdict(rules(), { path, bodyBytes: MAX_OBJECTION_BODY_BYTES + 1 })).toBe(413);
    expect(verdict(rules(), { path, bodyBytes: 1024 * 1024 })).toBe(413);
  });
});

describe.each([
  ['global', () => globalDefault.stateless],
  ['China', () => china.stateless],
])('the %s profile', (_, template) => {
  it('puts no cursor secret in any function environment: its ARN, and a grant to read it', () => {
    const fns = serviceFunctionsOf(template());
    expect(fns.length).toBeGreaterThanOrEqual(7);
    for (const [id, f] of fns) {
      const env = envOf(f);
      expect(env.CURSOR_SECRET, id).toBeUndefined();
      expect(JSON.stringify(env), id).not.toMatch(/resolve:secretsmanager/);
    }
    const readers = fns.filter(([, f]) => envOf(f).CURSOR_SECRET_ARN !== undefined);
    expect(readers.map(([, f]) => envOf(f).POWERTOOLS_SERVICE_NAME).sort()).toEqual([
      'admin-api',
      'imports-api',
      'jobs',
      'objections-api',
      'public-api',
    ]);
    for (const [id, f] of readers) {
      const arn = JSON.stringify(envOf(f).CURSOR_SECRET_ARN);
      expect(arn, id).toMatch(/CursorSecret/);
      const grant = statementsOfRole(template(), roleIdOf(f)).find(
        (s) =>
          [s.Action].flat().includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(s.Resource).includes(arn),
      );
      expect(grant, id).toBeDefined();
    }
  });

  it('sends a jobs run that failed after its retries to the watched dead-letter queue', () => {
    const configs = resourcesOf(template(), 'AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(1);
    const [, config] = configs[0]!;
    const jobsFn = serviceFunction(template(), 'jobs');
    expect(config.Properties.FunctionName).toEqual({ Ref: jobsFn[0] });
    expect(config.Properties.MaximumRetryAttempts).toBe(2);
    const target = (
      config.Properties.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': [string] } } }
    ).OnFailure.Destination['Fn::GetAtt'][0];
    expect(target).toMatch(/^SchedulerDeadLetters/);
    expect(template().toJSON().Resources[target].Type).toBe('AWS::SQS::Queue');
    const alarmed = resourcesOf(template(), 'AWS::CloudWatch::Alarm').some(([, a]) =>
      JSON.stringify(a.Properties).includes(`"${target}"`),
    );
    expect(alarmed).toBe(true);
  });

  it('gives every SNS to SQS subscription a redrive policy to a dead-letter queue', () => {
    const subscriptions = resourcesOf(template(), 'AWS::SNS::Subscription').filter(
      ([, s]) => s.Properties.Protocol === 'sqs',
    );
    expect(subscriptions.length).toBeGreaterThanOrEqual(2);
    for (const [id, s] of subscriptions) {
      const redrive = s.Properties.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string] } };
      expect(redrive?.deadLetterTargetArn, id).toBeDefined();
      const dlq = redrive.deadLetterTargetArn['Fn::GetAtt'][0];
      expect(template().toJSON().Resources[dlq].Type, id).toBe('AWS::SQS::Queue');
    }
  });

  it('lets the notice senders touch only notice items: a LeadingKeys condition on every table grant', () => {
    for (const sender of ['wechat-sender', 'sms-sender']) {
      const dynamo = statementsOfRole(template(), roleIdOf(serviceFunction(template(), sender)[1])).filter(
        (s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
      );
      expect(dynamo.length, sender).toBeGreaterThan(0);
      for (const s of dynamo) {
        expect(s.Effect).toBe('Allow');
        expect(s.Condition, sender).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${NOTICE_KEY_PREFIX}*`] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        });
        expect(JSON.stringify(s.Resource), sender).not.toContain('/index/');
      }
    }
  });
});

describe('the global profile’s CloudFront', () => {
  const distributionOf = (t: Template) => {
    const [d] = resourcesOf(t, 'AWS::CloudFront::Distribution');
    return (d as [string, { Properties: Json }])[1].Properties.DistributionConfig as Json;
  };

  it.each([
    ['with a domain', () => globalWithDomain.stateless],
    ['without one', () => globalDefault.stateless],
  ])('%s, forwards CloudFront-Viewer-Address on the objection route only, never Host', (_, template) => {
    const t = template();
    const behaviors = distributionOf(t).CacheBehaviors as {
      PathPattern: string;
      OriginRequestPolicyId: unknown;
    }[];
    const objection = behaviors.find((b) => b.PathPattern === OBJECTION_PATH_PATTERN);
    const [[id, policy] = []] = resourcesOf(t, 'AWS::CloudFront::OriginRequestPolicy');
    expect(objection?.OriginRequestPolicyId).toEqual({ Ref: id });
    const headers = (policy as { Properties: Json }).Properties.OriginRequestPolicyConfig as Json;
    const config = headers.HeadersConfig as { HeaderBehavior: string; Headers: string[] };
    expect(config.HeaderBehavior).toBe('whitelist');
    expect(config.Headers).toContain('CloudFront-Viewer-Address');
    expect(config.Headers.map((h) => h.toLowerCase())).not.toContain('host');
    const others = behaviors.filter((b) => b.PathPattern !== OBJECTION_PATH_PATTERN);
    expect(others.every((b) => JSON.stringify(b.OriginRequestPolicyId) !== JSON.stringify({ Ref: id }))).toBe(
      true,
    );
  });

  it('writes standard access logs to a private, SSL-only bucket with ownership controls, kept 180 days', () => {
    const t = globalDefault.stateless;
    const logging = distributionOf(t).Logging as { Bucket: { 'Fn::GetAtt': [string] }; Prefix: string };
    const bucketId = logging.Bucket['Fn::GetAtt'][0];
    const bucket = t.toJSON().Resources[bucketId].Properties;
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LifecycleConfiguration.Rules[0].ExpirationInDays).toBeGreaterThanOrEqual(180);
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('requires TLS 1.2 (TLSv1.2_2021) from viewers on the custom domain’s certificate', () => {
    const viewer = distributionOf(globalWithDomain.stateless).ViewerCertificate as Json;
    expect(viewer).toMatchObject({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(viewer.AcmCertificateArn).toBeDefined();
  });

  it('with a domain, reaches the API through its origin domain and switches the execute-api endpoint off', () => {
    const t = globalWithDomain.stateless;
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'origin.credit.example.com',
      DomainNameConfigurations: [Match.objectLike({ SecurityPolicy: 'TLS_1_2', EndpointType: 'REGIONAL' })],
    });
    t.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    const origins = distributionOf(t).Origins as { DomainName: unknown; CustomOriginConfig?: Json }[];
    const apiOrigins = origins.filter((o) => typeof o.DomainName === 'string' && o.CustomOriginConfig);
    expect(apiOrigins.map((o) => o.DomainName)).toEqual(['origin.credit.example.com']);
    expect(JSON.stringify(distributionOf(t))).not.toContain('execute-api');
    expect(Object.keys(t.toJSON().Outputs)).not.toContain('ApiEndpoint');
  });

  describe('with a domain, serves the public reads from the public function’s URL', () => {
    const t = globalWithDomain.stateless;
    const config = distributionOf(t);
    const origins = config.Origins as {
      Id: string;
      DomainName: unknown;
      OriginAccessControlId?: unknown;
      OriginCustomHeaders?: { HeaderName: string }[];
    }[];
    const urls = resourcesOf(t, 'AWS::Lambda::Url');
    const publicFunction = serviceFunction(t, 'public-api');

    it('gives the public function, and no other, an IAM-authenticated URL', () => {
      expect(urls).toHaveLength(1);
      const [[, url]] = urls as [[string, { Properties: Json }]];
      expect(url.Properties).toEqual({
        AuthType: 'AWS_IAM',
        TargetFunctionArn: { 'Fn::GetAtt': [publicFunction[0], 'Arn'] },
      });
    });

    it('makes that URL the default behaviour’s origin, signed by origin access control, with the origin header', () => {
      const [[urlId]] = urls as [[string, unknown]];
      const target = origins.find((o) => o.Id === (config.DefaultCacheBehavior as Json).TargetOriginId);
      expect(JSON.stringify(target?.DomainName)).toContain(`"Fn::GetAtt":["${urlId}","FunctionUrl"]`);
      expect(target?.OriginAccessControlId).toBeDefined();
      expect(target?.OriginCustomHeaders?.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
      t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 'lambda',
          SigningBehavior: 'always',
        }),
      });
    });

    it('lets only this distribution invoke the URL', () => {
      const grants = resourcesOf(t, 'AWS::Lambda::Permission')
        .map(([, p]) => p.Properties)
        .filter((p) => p.Principal !== 'apigateway.amazonaws.com');
      expect(grants.map((g) => g.Action).sort()).toEqual([
        'lambda:InvokeFunction',
        'lambda:InvokeFunctionUrl',
      ]);
      const [[distributionId]] = resourcesOf(t, 'AWS::CloudFront::Distribution') as [[string, unknown]];
      for (const g of grants) {
        expect(g.Principal).toBe('cloudfront.amazonaws.com');
        expect(JSON.stringify(g.SourceArn)).toContain(`:distribution/",{"Ref":"${distributionId}"}`);
      }
    });

    it('keeps the writes and the authenticated paths on the API, and no public read route there', () => {
      const keys = resourcesOf(t, 'AWS::ApiGatewayV2::Route').map(([, r]) => String(r.Properties.RouteKey));
      expect(keys).toContain('POST /v1/publicity/{resultId}/objections');
      expect(keys).toContain('POST /v1/admin/imports');
      expect(
        keys.filter((k) => k.startsWith('GET /v1/institutions/{uscc}/') && !/contacts|upgrade/.test(k)),
      ).toEqual([]);
      expect(keys).not.toContain('GET /v1/institutions');
      expect(keys).not.toContain('GET /v1/changes');
      for (const b of config.CacheBehaviors as { TargetOriginId: string; PathPattern: string }[]) {
        const origin = origins.find((o) => o.Id === b.TargetOriginId);
        if (b.PathPattern !== '/v1/export/*')
          expect(origin?.DomainName, b.PathPattern).toBe('origin.credit.example.com');
      }
    });

    it('alarms on the share of 5xx answers through the URL, as it does for the API', () => {
      const alarms = resourcesOf(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
      const url = alarms.find((a) => String(a.AlarmDescription).startsWith('public-api function URL'));
      const metrics = (
        (url?.Metrics ?? []) as { MetricStat?: { Metric: { MetricName: string; Namespace: string } } }[]
      ).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
      expect(metrics.map((m) => `${m.Namespace} ${m.MetricName}`).sort()).toEqual([
        'AWS/Lambda Url5xxCount',
        'AWS/Lambda UrlRequestCount',
      ]);
      const withoutDomain = resourcesOf(globalDefault.stateless, 'AWS::CloudWatch::Alarm');
      expect(
        withoutDomain.some(([, a]) => String(a.Properties.AlarmDescription).includes('function URL')),
      ).toBe(false);
    });

    it('links to the custom domain, which the function knows before the distribution exists', () => {
      expect(envOf(publicFunction[1]).PUBLIC_BASE_URL).toBe('https://credit.example.com');
    });
  });

  it('without a domain, serves the public reads through the HTTP API, and no function has a URL', () => {
    const t = globalDefault.stateless;
    t.resourceCountIs('AWS::Lambda::Url', 0);
    const keys = resourcesOf(t, 'AWS::ApiGatewayV2::Route').map(([, r]) => String(r.Properties.RouteKey));
    expect(keys).toContain('GET /v1/institutions');
    expect(keys).toContain('GET /v1/institutions/{uscc}');
  });

  it.each([
    ['with a domain', () => globalWithDomain.stateless],
    ['without one', () => globalDefault.stateless],
  ])('%s, sends a secret origin header that only the API functions can read', (_, template) => {
    const t = template();
    const origins = distributionOf(t).Origins as {
      CustomOriginConfig?: Json;
      OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
    }[];
    const [api] = origins.filter((o) => o.CustomOriginConfig);
    const [header] = api?.OriginCustomHeaders ?? [];
    expect(header?.HeaderName).toBe(ORIGIN_VERIFY_HEADER);
    const value = JSON.stringify(header?.HeaderValue);
    // A dynamic reference to the secret, resolved at deploy time: the value is not in the template.
    expect(value).toMatch(/\{\{resolve:secretsmanager:/);
    const [[secretId]] = resourcesOf(t, 'AWS::SecretsManager::Secret') as [[string, unknown]];
    expect(value).toContain(`"Ref":"${secretId}"`);
    const holders = serviceFunctionsOf(t)
      .filter(
        ([, f]) => JSON.stringify(envOf(f).ORIGIN_VERIFY_SECRET_ARN) === JSON.stringify({ Ref: secretId }),
      )
      .map(([, f]) => envOf(f).POWERTOOLS_SERVICE_NAME);
    expect(holders.sort()).toEqual(['admin-api', 'imports-api', 'objections-api', 'public-api']);
    const readers = resourcesOf(t, 'AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement.some(
        (st) =>
          [st.Action].flat().includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(st.Resource).includes(`"Ref":"${secretId}"`),
      ),
    );
    expect(readers).toHaveLength(4);
  });

  it('without a domain, keeps the endpoint and says so at synth', () => {
    const t = globalDefault.stateless;
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
    Annotations.fromStack(globalDefault.deployment.stateless).hasWarning(
      '*',
      Match.stringLikeRegexp('execute-api endpoint stays on'),
    );
  });

  it('leaves the China profile’s REST API without its execute-api endpoint, its WAF on the stage and no origin header', () => {
    china.stateless.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    for (const [id, f] of serviceFunctionsOf(china.stateless)) {
      expect(envOf(f).ORIGIN_VERIFY_SECRET_ARN, id).toBeUndefined();
    }
  });
});
