import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { newTableFromDefinition } from '../stateful-stack.ts';

/**
 * The China profile's data: the same table, key, topics and secrets as the global profile, without
 * the Cognito user pool (Cognito user pools do not exist in the China regions: sign-in is the city's
 * OIDC provider's), plus the SMS gateway's credentials. Nothing here is deleted with the stack.
 */
export class ChinaStatefulStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly noticesTopic: sns.Topic;
  readonly changesTopic: sns.Topic;
  readonly wechatSecret: secretsmanager.Secret;
  readonly cursorSecret: secretsmanager.Secret;
  /** `{accessKeyId, accessKeySecret}` of a RAM user allowed only dysms:SendSms; filled in after deploy. */
  readonly smsSecret: secretsmanager.Secret;

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
      displayName: '杭州市美容医疗机构量化分级 变更事件',
      enforceSSL: true,
    });
    // As in the global profile: anyone may subscribe an HTTPS endpoint (which must confirm), nothing else.
    this.changesTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PublicHttpsSubscriptions',
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Subscribe'],
        resources: [this.changesTopic.topicArn],
        conditions: { StringEquals: { 'sns:Protocol': 'https' } },
      }),
    );

    this.wechatSecret = this.operatorSecret(
      'WechatSecret',
      'WeChat Official Account credentials {appId, appSecret}; fill in after the first deploy',
      'appId',
      'appSecret',
      'The WeChat app secret is issued and reset in the WeChat Official Account console; Secrets Manager cannot rotate it.',
    );
    this.smsSecret = this.operatorSecret(
      'SmsSecret',
      'Aliyun SMS credentials {accessKeyId, accessKeySecret} of a RAM user limited to dysms:SendSms',
      'accessKeyId',
      'accessKeySecret',
      'The Aliyun AccessKey is created and rotated in the Aliyun RAM console; Secrets Manager cannot rotate it.',
    );
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
    new CfnOutput(this, 'SmsSecretName', { value: this.smsSecret.secretName });
  }

  /** A secret an operator fills in from another provider's console; a placeholder until then. */
  private operatorSecret(id: string, description: string, idKey: string, secretKey: string, why: string) {
    const secret = new secretsmanager.Secret(this, id, {
      description,
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ [idKey]: 'REPLACE_ME' }),
        generateStringKey: secretKey,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: why });
    return secret;
  }
}
