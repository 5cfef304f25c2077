import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ROLES } from '../shared/domain/types.ts';
import { rulebook } from '../shared/rulebook/current.ts';
import { TTL_ATTRIBUTE, tableDefinition } from '../shared/store/table-definition.ts';

/**
 * What both profiles keep: the table, the key that encrypts it, the topics other systems subscribe to
 * and the secrets, created on the stack itself so both keep the same logical ids, with the outputs an
 * operator reads after deploy. Nothing here is deleted with the stack.
 */
export abstract class ServiceDataStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  /** Notice requests from the workflow and the jobs; routed to one queue per channel by `channel`. */
  readonly noticesTopic: sns.Topic;
  /** Public change events: associations subscribe HTTPS endpoints with their own filter policies. */
  readonly changesTopic: sns.Topic;
  /** `{appId, appSecret}` of the WeChat Official Account, filled in by the operator after deploy. */
  readonly wechatSecret: secretsmanager.Secret;
  /** HMAC key for list cursors. */
  readonly cursorSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.key = new kms.Key(this, 'DataKey', {
      description: 'Encrypts the yimei-credit table, notice topic and secrets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = newTableFromDefinition(this, this.key);
    this.noticesTopic = new sns.Topic(this, 'NoticesTopic', {
      displayName: 'yimei-credit notices',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.changesTopic = new sns.Topic(this, 'ChangesTopic', {
      displayName: `${rulebook().wording.siteTitle.replace(/查询$/, '')} 变更事件`,
      enforceSSL: true,
    });
    // Open data: anyone may subscribe, but only an HTTPS endpoint (which must confirm the
    // subscription), so the topic cannot be used to send e-mail or SMS to third parties.
    this.changesTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PublicHttpsSubscriptions',
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Subscribe'],
        resources: [this.changesTopic.topicArn],
        conditions: { StringEquals: { 'sns:Protocol': 'https' } },
      }),
    );
    this.wechatSecret = operatorSecret(this, this.key, {
      id: 'WechatSecret',
      description: 'WeChat Official Account credentials {appId, appSecret}; fill in after the first deploy',
      idKey: 'appId',
      secretKey: 'appSecret',
      why: 'The WeChat app secret is issued and reset in the WeChat Official Account console; Secrets Manager cannot rotate it.',
    });
    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'HMAC key for list cursors',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the cursor key would invalidate every cursor associations keep as a bookmark of the change feed.',
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ChangesTopicArn', { value: this.changesTopic.topicArn });
    new CfnOutput(this, 'WechatSecretName', { value: this.wechatSecret.secretName });
  }
}

/**
 * Everything that holds data or identity: the service's data (ServiceDataStack) and the user pool.
 * Nothing here is deleted with the stack, so the stateless stack can be destroyed and redeployed at will.
 */
export class StatefulStack extends ServiceDataStack {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.userPool = new cognito.UserPool(this, 'Users', {
      // Regulators and institutions are invited by the city; nobody signs up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        district: new cognito.StringAttribute({ minLen: 2, maxLen: 8, mutable: true }),
        uscc: new cognito.StringAttribute({ minLen: 18, maxLen: 18, mutable: true }),
        // The industry association an `association` user records ratings for, e.g. 中国整形美容协会.
        association: new cognito.StringAttribute({ minLen: 1, maxLen: 100, mutable: true }),
      },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: `yimei-credit role ${role}` });
    }
    this.userPoolClient = this.userPool.addClient('AdminClient', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      // A user must never set their own district, uscc or association: those claims decide what they may change.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }

  /** The issuer of the pool's tokens, as the JWT authorizer and the service check it. */
  get issuer(): string {
    return `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`;
  }
}

/** The table exactly as `tableDefinition()` declares it (test/infra checks the two agree). */
export function newTableFromDefinition(scope: Construct, key: kms.IKey): dynamodb.Table {
  const def = tableDefinition('unused');
  const typeOf = (name: string) => {
    const attr = def.AttributeDefinitions?.find((a) => a.AttributeName === name);
    if (attr?.AttributeType !== 'S') throw new Error(`attribute ${name} must be declared as a string`);
    return dynamodb.AttributeType.STRING;
  };
  const keyOf = (
    schema: { AttributeName?: string; KeyType?: string }[] | undefined,
    type: 'HASH' | 'RANGE',
  ) => {
    const name = schema?.find((k) => k.KeyType === type)?.AttributeName;
    return name ? { name, type: typeOf(name) } : undefined;
  };
  const partitionKey = keyOf(def.KeySchema, 'HASH');
  if (!partitionKey) throw new Error('tableDefinition has no partition key');
  const table = new dynamodb.Table(scope, 'Table', {
    partitionKey,
    sortKey: keyOf(def.KeySchema, 'RANGE'),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: TTL_ATTRIBUTE,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const gsi of def.GlobalSecondaryIndexes ?? []) {
    const pk = keyOf(gsi.KeySchema, 'HASH');
    if (!gsi.IndexName || !pk) throw new Error('every GSI needs a name and a partition key');
    table.addGlobalSecondaryIndex({
      indexName: gsi.IndexName,
      partitionKey: pk,
      sortKey: keyOf(gsi.KeySchema, 'RANGE'),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}

/**
 * A secret an operator fills in from another provider's console: `{<idKey>: "REPLACE_WITH_…", <secretKey>: random}`
 * until then. Retained, and not rotated by Secrets Manager (the provider issues it).
 */
export function operatorSecret(
  stack: Stack,
  key: kms.IKey,
  opts: { id: string; description: string; idKey: string; secretKey: string; why: string },
) {
  const placeholder = `REPLACE_WITH_${opts.idKey.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  const secret = new secretsmanager.Secret(stack, opts.id, {
    description: opts.description,
    encryptionKey: key,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ [opts.idKey]: placeholder }),
      generateStringKey: opts.secretKey,
    },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: opts.why });
  return secret;
}
