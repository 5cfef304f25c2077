import { type App, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../infra/catalogue.ts';
import { envOf, resourcesOf, serviceFunction, synthProfile, Template } from '../support/infra.ts';

const CHINA_CONTEXT = {
  domainName: 'credit.example.cn',
  icpNumber: '浙ICP备00000000号',
  oidcIssuer: 'https://id.example.cn',
  oidcAudience: 'yimei-credit',
};

/** The app as `cdk synth -c region=...` builds it (cdk.json context), without bundling. */
function synth(context: Record<string, unknown>) {
  const { app, deployment } = synthProfile(context);
  const stacks = app.node.children.filter((c): c is Stack => 'templateOptions' in c);
  const templates = stacks.map((s) => ({ stack: s, template: Template.fromStack(s) }));
  return { app, deployment, stacks, templates };
}

type Synth = ReturnType<typeof synth>;

/** cdk-nag as `cdk synth` runs it: findings nobody acknowledged. */
function openFindings(app: App): string[] {
  return new AwsSolutionsChecks()
    .validateScope(app)
    .violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`);
}

/** Every acknowledgement must match a finding the rules raise (with acknowledgements ignored). */
function idleAcknowledgements(app: App): string[] {
  const pack = new AwsSolutionsChecks();
  Object.assign(pack, { isAcknowledged: () => false });
  const findings = pack
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })),
    );
  return app.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data as Record<string, string>))
      .map((id) => id.replace(/^annotation::/i, ''))
      // CDK's own CloudFormation-validation acknowledgements are not cdk-nag's to match.
      .filter((rule) => rule.startsWith('AwsSolutions-'))
      .filter(
        (rule) =>
          !findings.some(
            (f) => f.rule === rule && (f.path === c.node.path || f.path.startsWith(`${c.node.path}/`)),
          ),
      )
      .map((rule) => `${rule} at ${c.node.path}`),
  );
}

function all(s: Synth, type: string) {
  return s.templates.flatMap(({ template }) => resourcesOf(template, type));
}

function logGroupRetentions(s: Synth): [string, unknown][] {
  return all(s, 'AWS::Logs::LogGroup').map(([id, r]) => [id, r.Properties.RetentionInDays]);
}

describe.each(['cn-north-1', 'cn-northwest-1'])('the China profile in %s', (region) => {
  let s: Synth;
  let stateless: Template;
  beforeAll(() => {
    s = synth({ region, ...CHINA_CONTEXT });
    stateless = s.templates.find(({ stack }) => stack.stackName === 'YimeiCreditStateless')!.template;
  });

  it('is the China profile, every stack in the region and nothing in us-east-1 or the aws partition', () => {
    expect(s.deployment.profile).toBe('china');
    expect(s.stacks.map((st) => st.region)).toEqual([region, region]);
    for (const { stack, template } of s.templates) {
      const json = JSON.stringify(template.toJSON());
      expect(json, stack.stackName).not.toContain('us-east-1');
      expect(json, stack.stackName).not.toContain('arn:aws:');
    }
  });

  it('reserves each function the concurrency the catalogue gives it in both profiles', () => {
    for (const spec of FUNCTIONS) {
      const [, fn] = serviceFunction(stateless, spec.name);
      expect(fn.Properties.ReservedConcurrentExecutions, spec.name).toBe(spec.reservedConcurrency);
    }
    expect(FUNCTIONS.every((f) => f.reservedConcurrency !== undefined)).toBe(true);
  });

  it('passes cdk-nag, every acknowledgement matching a finding', () => {
    expect(openFindings(s.app)).toEqual([]);
    expect(idleAcknowledgements(s.app)).toEqual([]);
  });

  it('has no Cognito, no CloudFront and no CloudFront-scope WAF', () => {
    for (const { template } of s.templates) {
      const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
        (r) => r.Type,
      );
      expect(types.filter((t) => t.startsWith('AWS::Cognito::'))).toEqual([]);
      expect(types.filter((t) => t.startsWith('AWS::CloudFront::'))).toEqual([]);
    }
    expect(all(s, 'AWS::WAFv2::WebACL').map(([, r]) => r.Properties.Scope)).toEqual(['REGIONAL']);
  });

  it('serves a regional REST API with the execute-api endpoint disabled, on the custom domain with a regional certificate', () => {
    stateless.hasResourceProperties('AWS::ApiGateway::RestApi', {
      DisableExecuteApiEndpoint: true,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      // Imports reach the function base64-encoded, as the file limit assumes.
      BinaryMediaTypes: ['text~1csv', 'application~1vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    });
    stateless.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    const [[certId]] = [resourcesOf(stateless, 'AWS::CertificateManager::Certificate').map(([id]) => id)];
    stateless.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'credit.example.cn',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      RegionalCertificateArn: { Ref: certId },
      SecurityPolicy: 'TLS_1_2',
    });
    stateless.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
  });

  it('associates the regional web ACL, with rate limits and a managed rule group, to the API stage', () => {
    const [[aclId, acl]] = resourcesOf(stateless, 'AWS::WAFv2::WebACL') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    const [[stageId]] = resourcesOf(stateless, 'AWS::ApiGateway::Stage') as [[string, unknown]];
    const association = resourcesOf(stateless, 'AWS::WAFv2::WebACLAssociation');
    expect(association).toHaveLength(1);
    const props = association[0]![1].Properties;
    expect(props.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(props.ResourceArn)).toContain(`"Ref":"${stageId}"`);
    const rules = acl.Properties.Rules as { Name: string; Statement: Record<string, unknown> }[];
    expect(rules.filter((r) => r.Statement.RateBasedStatement).map((r) => r.Name)).toEqual([
      'PublicRatePerIp',
      'OverallRatePerIp',
    ]);
    expect(rules.some((r) => r.Statement.ManagedRuleGroupStatement)).toBe(true);
  });

  it('keeps every log group, the API access logs and the WAF logs included, at least 180 days', () => {
    const retentions = logGroupRetentions(s);
    expect(retentions.length).toBeGreaterThanOrEqual(8);
    for (const [id, days] of retentions) expect(days, id).toBeGreaterThanOrEqual(180);
    const [[wafLogsId]] = resourcesOf(stateless, 'AWS::Logs::LogGroup').filter(([, r]) =>
      String(r.Properties.LogGroupName).startsWith('aws-waf-logs-'),
    ) as [[string, unknown]];
    const logging = resourcesOf(stateless, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging).toHaveLength(1);
    const [, accessLogs] = resourcesOf(stateless, 'AWS::ApiGateway::Stage')[0]!;
    expect(JSON.stringify(accessLogs.Properties.AccessLogSetting)).toContain('DestinationArn');
    expect(wafLogsId).toBeTruthy();
  });

  it('runs the senders behind NAT gateways on Elastic IPs and outputs the addresses', () => {
    const eips = resourcesOf(stateless, 'AWS::EC2::EIP').map(([id]) => id);
    expect(eips).toHaveLength(2);
    const nats = resourcesOf(stateless, 'AWS::EC2::NatGateway').map(([, r]) => r.Properties.AllocationId);
    expect(nats).toEqual(eips.map((id) => ({ 'Fn::GetAtt': [id, 'AllocationId'] })));
    const outputs = Object.values(stateless.toJSON().Outputs as Record<string, { Value: unknown }>).map(
      (o) => o.Value,
    );
    for (const id of eips) expect(outputs).toContainEqual({ 'Fn::GetAtt': [id, 'PublicIp'] });
    const inVpc = resourcesOf(stateless, 'AWS::Lambda::Function')
      .filter(([, f]) => f.Properties.VpcConfig)
      .map(
        ([, f]) =>
          (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables
            .POWERTOOLS_SERVICE_NAME,
      );
    expect(inVpc.sort()).toEqual(['sms-sender', 'wechat-sender']);
  });

  it('serves the grades export from S3 by a presigned redirect: the public function may read the exports only, the jobs write them', () => {
    const fnNamed = (name: string) =>
      resourcesOf(stateless, 'AWS::Lambda::Function').find(
        ([, f]) =>
          (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables
            .POWERTOOLS_SERVICE_NAME === name,
      )!;
    const [[bucketId]] = resourcesOf(stateless, 'AWS::S3::Bucket') as [[string, unknown]];
    const bucketRef = { Ref: bucketId };
    for (const name of ['public-api', 'jobs']) {
      const [, fn] = fnNamed(name);
      expect(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.EXPORT_BUCKET,
      ).toEqual(bucketRef);
    }
    const roleOf = (name: string) =>
      (fnNamed(name)[1].Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const s3Actions = (name: string) =>
      resourcesOf(stateless, 'AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleOf(name)))
        .flatMap(
          ([, p]) =>
            (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
              .Statement,
        )
        .filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')));
    const reads = s3Actions('public-api');
    expect(reads.map((st) => st.Action)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(reads[0]!.Resource)).toContain('/v1/export/grades.csv');
    expect(s3Actions('jobs').map((st) => st.Action)).toEqual(['s3:PutObject']);
  });

  it('configures the functions for the OIDC provider, the ICP footer and Aliyun SMS, with no SNS SMS', () => {
    const env = (name: string) =>
      (
        resourcesOf(stateless, 'AWS::Lambda::Function').find(
          ([, f]) =>
            (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables
              .POWERTOOLS_SERVICE_NAME === name,
        )![1].Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
    expect(env('admin-api')).toMatchObject({
      JWT_ISSUER: 'https://id.example.cn',
      JWT_AUDIENCE: 'yimei-credit',
      // The provider's discovery document, whose jwks_uri names the keys (Keycloak's are elsewhere).
      JWT_JWKS_URL: 'https://id.example.cn/.well-known/openid-configuration',
      JWT_GROUPS_CLAIM: 'groups',
      ICP_NUMBER: '浙ICP备00000000号',
    });
    expect(env('sms-sender')).toMatchObject({
      SMS_PROVIDER: 'aliyun',
      SMS_DAILY_LIMIT_PER_INSTITUTION: '20',
      SMS_MONTHLY_LIMIT: '5000',
    });
    // Aliyun publishes no spend metric: the sender's own count of SMS stopped by the budget is alarmed.
    const budgetStop = resourcesOf(stateless, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === 'SmsWithheldMonthlyBudget',
    );
    expect(budgetStop).toHaveLength(1);
    const calendarShort = resourcesOf(stateless, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === 'CalendarCoverageShort',
    );
    expect(calendarShort).toHaveLength(1);
    const publishAnywhere = all(s, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties.PolicyDocument).match(
        /"Action":"sns:Publish","Effect":"Allow","Resource":"\*"/,
      ),
    );
    expect(publishAnywhere).toEqual([]);
  });
});

describe('the China profile context', () => {
  it('keeps oidcJwksUrl as the override of the discovered JWKS', () => {
    const jwks = 'https://id.example.cn/realms/hangzhou/protocol/openid-connect/certs';
    const { templates } = synth({ ...CHINA_CONTEXT, region: 'cn-north-1', oidcJwksUrl: jwks });
    const admin = templates
      .map(({ template }) => template)
      .flatMap((t) => {
        try {
          return [serviceFunction(t, 'admin-api')[1]];
        } catch {
          return [];
        }
      });
    expect(admin.map((f) => envOf(f).JWT_JWKS_URL)).toEqual([jwks]);
  });

  it('names each missing context key', () => {
    expect(() => synth({ region: 'cn-north-1', domainName: 'credit.example.cn' })).toThrow(
      /-c icpNumber=\.\.\. -c oidcIssuer=\.\.\. -c oidcAudience=\.\.\./,
    );
  });
});

describe('the global profile', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth({ region: 'ap-northeast-1' });
  });

  it('stays the global profile: CloudFront with its WAF in us-east-1, Cognito kept', () => {
    expect(s.deployment.profile).toBe('global');
    expect(all(s, 'AWS::WAFv2::WebACL').map(([, r]) => r.Properties.Scope)).toEqual(['CLOUDFRONT']);
    expect(all(s, 'AWS::Cognito::UserPool')).toHaveLength(1);
  });

  it('keeps every log group, the API access logs and the WAF logs included, at least 180 days', () => {
    const retentions = logGroupRetentions(s);
    for (const [id, days] of retentions) expect(days, id).toBeGreaterThanOrEqual(180);
    expect(all(s, 'AWS::WAFv2::LoggingConfiguration')).toHaveLength(1);
  });
});
