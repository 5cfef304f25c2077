import { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';
import { requireSetting } from '../env.ts';
import { documentClientFor } from '../store/dynamo.ts';
import { NoticeClaimStore } from './claims.ts';
import { guidanceContacts, loadNotifyConfig, type NotifyConfig, smsLimits } from './config.ts';
import { ContactDirectory } from './contacts.ts';
import { LocalNotifier } from './local-notifier.ts';
import { FileSinkSender } from './local-sink.ts';
import { type NoticeLogger, redactingLogger } from './mask.ts';
import type { Notifier } from './port.ts';
import { DynamoSmsSpend } from './sms-spend.ts';
import { SnsNotifier } from './sns-notifier.ts';

/**
 * The notifier of a Lambda (jobs, admin API): publishes notice requests to the SNS topic named by
 * NOTICES_TOPIC_ARN. Called once at cold start; pass the clients the Lambda already has (a client not
 * passed is created here, once, from the configuration), so `createNotifier(config)` is enough.
 */
export function createNotifier(
  config: Pick<Config, 'TABLE_NAME' | 'AWS_REGION' | 'DYNAMODB_ENDPOINT'>,
  deps: {
    notifyConfig?: NotifyConfig;
    db?: DynamoDBDocumentClient;
    sns?: SNSClient;
    logger?: NoticeLogger;
  } = {},
): SnsNotifier {
  const notifyConfig = deps.notifyConfig ?? loadNotifyConfig();
  const db = deps.db ?? documentClientFor(config);
  return new SnsNotifier({
    sns: deps.sns ?? new SNSClient({ region: config.AWS_REGION }),
    topicArn: requireSetting(notifyConfig, 'NOTICES_TOPIC_ARN'),
    contacts: new ContactDirectory(db, config.TABLE_NAME),
    guidance: guidanceContacts(notifyConfig),
    logger: deps.logger ?? redactingLogger(),
  });
}

/** The local notifier: the same claims and templates, senders that append to `DATA_DIR/notices.jsonl`. */
export function createLocalNotifier(deps: {
  config: Pick<Config, 'TABLE_NAME'>;
  notifyConfig: NotifyConfig;
  db: DynamoDBDocumentClient;
  dataDir: string;
  now: () => Date;
  logger?: NoticeLogger;
}): Notifier {
  return new LocalNotifier({
    contacts: new ContactDirectory(deps.db, deps.config.TABLE_NAME),
    claims: new NoticeClaimStore(deps.db, deps.config.TABLE_NAME),
    senders: {
      wechat: new FileSinkSender('wechat', deps.dataDir, deps.now),
      sms: new FileSinkSender('sms', deps.dataDir, deps.now),
    },
    guidance: guidanceContacts(deps.notifyConfig),
    // Locally each notice is shown at /dev/notices; the console keeps only what went wrong.
    logger: deps.logger ?? { ...redactingLogger(), info: () => {} },
    now: deps.now,
    leaseMs: deps.notifyConfig.NOTICE_LEASE_SECONDS * 1000,
    smsSpend: new DynamoSmsSpend(deps.db, deps.config.TABLE_NAME, smsLimits(deps.notifyConfig)),
  });
}
