import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROLES } from '#shared/domain/types.ts';
import { TTL_ATTRIBUTE, tableDefinition } from '#shared/store/table-definition.ts';
import { resourcesOf, singleResource, Template, testDeployment } from '#test/support/infra.ts';

const { stateful } = testDeployment();
const template = Template.fromStack(stateful);

const sortBy = <T>(items: T[] | undefined, key: (t: T) => string) =>
  [...(items ?? [])].sort((a, b) => key(a).localeCompare(key(b)));

describe('StatefulStack', () => {
  it('declares the table exactly as tableDefinition() does: keys, attributes, indexes and projections', () => {
    const def = tableDefinition('unused');
    const props = singleResource(template, 'AWS::DynamoDB::Table').Properties as Record<string, never>;
    expect(props.KeySchema).toEqual(def.KeySchema);
    expect(sortBy<{ AttributeName: string }>(props.AttributeDefinitions, (a) => a.AttributeName)).toEqual(
      sortBy(def.AttributeDefinitions as { AttributeName: string }[], (a) => a.AttributeName),
    );
    expect(sortBy<{ IndexName: string }>(props.GlobalSecondaryIndexes, (g) => g.IndexName)).toEqual(
      sortBy(def.GlobalSecondaryIndexes as { IndexName: string }[], (g) => g.IndexName),
    );
    expect(props.BillingMode).toBe(def.BillingMode);
  });

  it('keeps the table safe: point-in-time recovery, deletion protection, retained on delete and replace', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
  });

  it('lets DynamoDB expire short-lived counters through the TTL attribute the store writes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('encrypts the table with a customer-managed key that rotates and outlives the stack', () => {
    const [[keyId] = []] = resourcesOf(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it('encrypts the notice topic with the key and refuses plain-HTTP publishing on every topic', () => {
    const [[keyId] = []] = resourcesOf(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    const policies = resourcesOf(template, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(resourcesOf(template, 'AWS::SNS::Topic').length);
    for (const [, policy] of policies) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('lets anyone subscribe to the change events, but only an HTTPS endpoint', () => {
    const statements = resourcesOf(template, 'AWS::SNS::TopicPolicy').flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    const open = statements.filter(
      (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('"*"'),
    );
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      Action: 'sns:Subscribe',
      Condition: { StringEquals: { 'sns:Protocol': 'https' } },
    });
  });

  it('keeps the WeChat and cursor secrets when the stack goes, encrypted with the key', () => {
    const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2);
    for (const [, s] of secrets) {
      expect(s.DeletionPolicy).toBe('Retain');
      expect(s.Properties.KmsKeyId).toBeDefined();
    }
  });

  it('has one user-pool group per role, district, uscc and association attributes, and MFA; users cannot set their own claims', () => {
    const groups = resourcesOf(template, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'district', AttributeDataType: 'String' }),
        Match.objectLike({ Name: 'uscc', AttributeDataType: 'String' }),
        Match.objectLike({ Name: 'association', AttributeDataType: 'String' }),
      ]),
    });
    const client = singleResource(template, 'AWS::Cognito::UserPoolClient');
    const writable = (client.Properties.WriteAttributes as string[] | undefined) ?? [];
    expect(writable.length).toBeGreaterThan(0);
    expect(writable.filter((a) => a.startsWith('custom:'))).toEqual([]);
  });
});
