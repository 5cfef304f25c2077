import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { redactingLogger } from '#shared/notify/mask.ts';
import { createQueueHandler } from '#shared/notify/queue-handler.ts';
import { loadSenderEnv, smsDelivery } from '#shared/notify/senders.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

const env = loadSenderEnv();
const notifyConfig = loadNotifyConfig();
const db = createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT });
const sns = new SNSClient({ region: env.AWS_REGION });
const secrets = new SecretsManagerClient({ region: env.AWS_REGION });

export const handler = createQueueHandler({
  channel: 'sms',
  delivery: smsDelivery({ env, notifyConfig, db, sns, secrets, logger: redactingLogger() }),
});
