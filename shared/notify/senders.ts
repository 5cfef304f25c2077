import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { parseEnvironment, requireSetting, TABLE_VARIABLES } from '../env.ts';
import {
  type AliyunCredentials,
  type AliyunSmsApi,
  AliyunSmsProvider,
  aliyunApiFromSecret,
} from './aliyun-sms.ts';
import { NoticeClaimStore } from './claims.ts';
import { type NotifyConfig, smsLimits } from './config.ts';
import type { DeliveryContext } from './delivery.ts';
import type { NoticeLogger } from './mask.ts';
import { secretsManagerCredentials } from './secrets.ts';
import { type SmsProvider, SmsSender, SnsSmsProvider } from './sms.ts';
import { DynamoSmsSpend, reportingWithheld, type SmsLimitName } from './sms-spend.ts';
import { SMS_TEMPLATES, type SmsTemplateSet, smsTemplateSet } from './sms-templates.ts';
import { WeChatClient, WeChatSender } from './wechat.ts';

/** What a sender Lambda needs besides the notice settings: the table, nothing of the HTTP API. */
const SenderEnvSchema = z.object({
  ...TABLE_VARIABLES,
  PUBLIC_BASE_URL: z.url().optional(),
});
export type SenderEnv = z.infer<typeof SenderEnvSchema>;

export function loadSenderEnv(env: Record<string, string | undefined> = process.env): SenderEnv {
  return parseEnvironment(SenderEnvSchema, env);
}

interface Common {
  env: SenderEnv;
  notifyConfig: NotifyConfig;
  db: DynamoDBDocumentClient;
  logger: NoticeLogger;
  now?: () => Date;
}

function base(deps: Common): Omit<DeliveryContext, 'sender'> {
  return {
    claims: new NoticeClaimStore(deps.db, deps.env.TABLE_NAME),
    now: deps.now ?? (() => new Date()),
    logger: deps.logger,
    leaseMs: deps.notifyConfig.NOTICE_LEASE_SECONDS * 1000,
    maxReceives: deps.notifyConfig.NOTICE_MAX_RECEIVES,
  };
}

/** The WeChat sender's delivery path: credentials from Secrets Manager, the API at WECHAT_API_BASE. */
export function weChatDelivery(
  deps: Common & { secrets: SecretsManagerClient; fetch?: typeof fetch },
): Omit<DeliveryContext, 'receiveCount'> {
  const client = new WeChatClient({
    baseUrl: deps.notifyConfig.WECHAT_API_BASE,
    credentials: secretsManagerCredentials(
      deps.secrets,
      requireSetting(deps.notifyConfig, 'WECHAT_SECRET_ARN'),
    ),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const sender = new WeChatSender(client, {
    templateId: deps.notifyConfig.WECHAT_TEMPLATE_ID,
    api: deps.notifyConfig.WECHAT_NOTICE_API,
    ...(deps.env.PUBLIC_BASE_URL ? { linkBase: deps.env.PUBLIC_BASE_URL } : {}),
  });
  return { ...base(deps), sender };
}

/**
 * The SMS sender's delivery path, by SMS_PROVIDER: SNS Publish to the phone (transactional, with the
 * registered ids), or Aliyun SMS with its signature, template codes and credentials from Secrets Manager.
 * Either way the spend limits (SMS_DAILY_LIMIT_PER_INSTITUTION, SMS_MONTHLY_LIMIT) are checked first.
 */
export function smsDelivery(
  deps: Common & {
    sns: SNSClient;
    secrets?: SecretsManagerClient;
    /** Builds the Aliyun client from the secret's credentials (tests pass a fake). */
    newAliyunApi?: (credentials: AliyunCredentials) => AliyunSmsApi;
    /** Told of every SMS a spend limit withholds (the handler emits a metric). */
    onSmsWithheld?: (limit: SmsLimitName) => void;
  },
): Omit<DeliveryContext, 'receiveCount'> {
  const config = deps.notifyConfig;
  const templates = smsTemplateSet(config.SMS_TEMPLATE_CODES);
  const counted = new DynamoSmsSpend(deps.db, deps.env.TABLE_NAME, smsLimits(config));
  const smsSpend = deps.onSmsWithheld ? reportingWithheld(counted, deps.onSmsWithheld) : counted;
  if (config.SMS_PROVIDER === 'aliyun') {
    const provider = aliyunProvider(config, templates, deps.secrets, deps.newAliyunApi);
    return { ...base(deps), smsSpend, sender: new SmsSender(provider) };
  }
  const provider: SmsProvider = new SnsSmsProvider(deps.sns, {
    senderId: config.SMS_SENDER_ID,
    templateId: config.SMS_TEMPLATE_ID,
    templates,
  });
  return { ...base(deps), smsSpend, sender: new SmsSender(provider, templates) };
}

/** Aliyun is asked by the code it assigned; a template it has not approved yet has none (the provider refuses it). */
function registeredCodes(templates: SmsTemplateSet): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SMS_TEMPLATES)
      .map(([kind, t]) => [t.code, templates[kind as keyof SmsTemplateSet].code] as const)
      .filter(([ours, theirs]) => ours !== theirs),
  );
}

function aliyunProvider(
  config: NotifyConfig,
  templates: SmsTemplateSet,
  secrets: SecretsManagerClient | undefined,
  newApi: ((credentials: AliyunCredentials) => AliyunSmsApi) | undefined,
): AliyunSmsProvider {
  if (!secrets)
    throw new Error('the Aliyun SMS provider reads its credentials through a Secrets Manager client');
  return new AliyunSmsProvider({
    signName: requireSetting(config, 'SMS_SIGN_NAME'),
    templateCodes: registeredCodes(templates),
    api: aliyunApiFromSecret(secrets, requireSetting(config, 'SMS_SECRET_ARN'), newApi ? { newApi } : {}),
  });
}
