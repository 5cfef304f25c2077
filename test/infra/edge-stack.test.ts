import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { singleResource, Template, testDeployment } from '#test/support/infra.ts';

type Rule = { Name: string; Statement: Record<string, Record<string, unknown>>; Action?: unknown };

describe('EdgeStack', () => {
  const { edge } = testDeployment();
  const template = Template.fromStack(edge);
  const acl = singleResource(template, 'AWS::WAFv2::WebACL');
  const rules = (acl.Properties.Rules ?? []) as Rule[];

  it('lives in us-east-1, the only region CloudFront takes a web ACL from', () => {
    expect(edge.region).toBe('us-east-1');
    expect(acl.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it('limits each IP to 300 public requests per 5 minutes, answering 429', () => {
    const rule = rules.find((r) => r.Statement.RateBasedStatement?.ScopeDownStatement);
    expect(rule?.Statement.RateBasedStatement).toMatchObject({
      Limit: 300,
      EvaluationWindowSec: 300,
      AggregateKeyType: 'IP',
    });
    expect(JSON.stringify(rule?.Statement)).toContain('/v1/admin/');
    expect(rule?.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429 } } });
  });

  it('also caps every IP overall and applies the AWS common rule set', () => {
    expect(
      rules.some((r) => r.Statement.RateBasedStatement && !r.Statement.RateBasedStatement.ScopeDownStatement),
    ).toBe(true);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
          },
        }),
      ]),
    });
  });

  it('issues a certificate in us-east-1 and serves the custom domain with TLS 1.2 when one is given', () => {
    const { edge: withDomain, stateless } = testDeployment({ context: { domainName: 'credit.example.cn' } });
    Template.fromStack(withDomain).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'credit.example.cn',
      ValidationMethod: 'DNS',
    });
    Template.fromStack(stateless).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['credit.example.cn'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
  });
});
