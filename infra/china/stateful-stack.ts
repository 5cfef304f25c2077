import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { newServiceData, operatorSecret } from '../stateful-stack.ts';

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

    ({
      key: this.key,
      table: this.table,
      noticesTopic: this.noticesTopic,
      changesTopic: this.changesTopic,
      wechatSecret: this.wechatSecret,
      cursorSecret: this.cursorSecret,
    } = newServiceData(this));
    this.smsSecret = operatorSecret(this, this.key, {
      id: 'SmsSecret',
      description:
        'Aliyun SMS credentials {accessKeyId, accessKeySecret} of a RAM user limited to dysms:SendSms',
      idKey: 'accessKeyId',
      secretKey: 'accessKeySecret',
      why: 'The Aliyun AccessKey is created and rotated in the Aliyun RAM console; Secrets Manager cannot rotate it.',
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ChangesTopicArn', { value: this.changesTopic.topicArn });
    new CfnOutput(this, 'WechatSecretName', { value: this.wechatSecret.secretName });
    new CfnOutput(this, 'SmsSecretName', { value: this.smsSecret.secretName });
  }
}
