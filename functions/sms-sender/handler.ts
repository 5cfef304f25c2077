import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, SQSEvent } from 'aws-lambda';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { redactingLogger } from '#shared/notify/mask.ts';
import { createQueueHandler } from '#shared/notify/queue-handler.ts';
import { loadSenderEnv, smsDelivery } from '#shared/notify/senders.ts';
import { SMS_WITHHELD_METRICS } from '#shared/notify/sms-spend.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';

const env = loadSenderEnv();
const notifyConfig = loadNotifyConfig();
const db = documentClientFor(env);
const sns = new SNSClient({ region: env.AWS_REGION });
const secrets = new SecretsManagerClient({ region: env.AWS_REGION });
// Namespace and service dimension from POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME.
const metrics = new Metrics();

const handleBatch = createQueueHandler({
  channel: 'sms',
  delivery: smsDelivery({
    env,
    notifyConfig,
    db,
    sns,
    secrets,
    logger: redactingLogger(),
    onSmsWithheld: (limit) => metrics.addMetric(SMS_WITHHELD_METRICS[limit], MetricUnit.Count, 1),
  }),
});

export const handler = async (event: SQSEvent, context?: Context) => {
  try {
    return await handleBatch(event, context);
  } finally {
    // A batch that withheld nothing publishes nothing (the alarm treats no data as fine).
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
};
