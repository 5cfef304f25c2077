import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { operatorSecret, ServiceDataStack } from '../stateful-stack.ts';

/**
 * The China profile's data: the same table, key, topics and secrets as the global profile, without
 * the Cognito user pool (Cognito user pools do not exist in the China regions: sign-in is the city's
 * OIDC provider's), plus the SMS gateway's credentials. Nothing here is deleted with the stack.
 */
export class ChinaStatefulStack extends ServiceDataStack {
  /** `{accessKeyId, accessKeySecret}` of a RAM user allowed only dysms:SendSms; filled in after deploy. */
  readonly smsSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.smsSecret = operatorSecret(this, this.key, {
      id: 'SmsSecret',
      description:
        'Aliyun SMS credentials {accessKeyId, accessKeySecret} of a RAM user limited to dysms:SendSms',
      idKey: 'accessKeyId',
      secretKey: 'accessKeySecret',
      why: 'The Aliyun AccessKey is created and rotated in the Aliyun RAM console; Secrets Manager cannot rotate it.',
    });
    new CfnOutput(this, 'SmsSecretName', { value: this.smsSecret.secretName });
  }
}
