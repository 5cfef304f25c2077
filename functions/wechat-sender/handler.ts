import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { redactingLogger } from '#shared/notify/mask.ts';
import { createQueueHandler } from '#shared/notify/queue-handler.ts';
import { loadSenderEnv, weChatDelivery } from '#shared/notify/senders.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';

const env = loadSenderEnv();
const notifyConfig = loadNotifyConfig();
const db = documentClientFor(env);
const secrets = new SecretsManagerClient({ region: env.AWS_REGION });

export const handler = createQueueHandler({
  channel: 'wechat',
  delivery: weChatDelivery({ env, notifyConfig, db, secrets, logger: redactingLogger() }),
});
