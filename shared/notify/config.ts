import * as z from 'zod';
import type { Contacts } from '../domain/model.ts';
import { arn, json, parseEnvironment, text, wholeNumber } from '../env.ts';
import { NOTICE_KINDS, type NoticeKind } from './port.ts';
import type { SmsLimits } from './sms-spend.ts';
import { SMS_TEMPLATES } from './sms-templates.ts';

const ContactsJson = json(
  '{"phones": [...], "wechatOpenIds": [...]}',
  z.object({
    phones: z.array(z.string().regex(/^1[3-9]\d{9}$/)).default([]),
    wechatOpenIds: z.array(text()).default([]),
  }),
);

/** A default template code (YM_…) names its notice kind too. */
const KIND_OF_DEFAULT_CODE: Readonly<Record<string, NoticeKind>> = Object.fromEntries(
  NOTICE_KINDS.map((kind) => [SMS_TEMPLATES[kind].code, kind]),
);

const TemplateCodesJson = json(
  '{"<YM_… code or notice kind>": "<registered code>"}',
  z.record(z.string(), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)),
).transform((codes, ctx) => {
  const byKind: Partial<Record<NoticeKind, string>> = {};
  for (const [key, code] of Object.entries(codes)) {
    const kind = (NOTICE_KINDS as readonly string[]).includes(key)
      ? (key as NoticeKind)
      : KIND_OF_DEFAULT_CODE[key];
    if (!kind) {
      ctx.addIssue({
        code: 'custom',
        message: `${key} is neither a notice kind nor a default template code`,
      });
      return z.NEVER;
    }
    byKind[kind] = code;
  }
  if (new Set(Object.values(byKind)).size !== Object.values(byKind).length) {
    ctx.addIssue({ code: 'custom', message: 'each notice kind needs its own template code' });
    return z.NEVER;
  }
  return byKind;
});

/**
 * Configuration of the notice path, parsed once at cold start. Every variable is optional here; the
 * component that needs one asks for it with `requireSetting` (env.ts), which fails loudly naming it.
 */
const NotifyConfigSchema = z
  .object({
    /** The SNS topic jobs and the workflow publish notice requests to. */
    NOTICES_TOPIC_ARN: arn().optional(),
    /** Who stands for the city's guidance group (市量化分级工作指导组) when a publicity ends. */
    GUIDANCE_CONTACTS: ContactsJson.optional(),
    /** Base URL of the WeChat API; tests point it at a local stub. */
    WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
    /** Secrets Manager id of `{"appId", "appSecret"}` of the Official Account. */
    WECHAT_SECRET_ARN: text().optional(),
    /**
     * The registered template's id (量化分级信用提醒: thing1, thing2, time3, phrase4, thing5; docs/notices.md):
     * a template message's id, or a subscription notice template's id when WECHAT_NOTICE_API=subscribe.
     */
    WECHAT_TEMPLATE_ID: text().optional(),
    /** `template` (template messages, the default) or `subscribe` (subscription notices, /cgi-bin/message/subscribe/bizsend). */
    WECHAT_NOTICE_API: z.enum(['template', 'subscribe']).default('template'),
    /** Registered SMS sender id and template id (SNS message attributes). */
    SMS_SENDER_ID: text().optional(),
    SMS_TEMPLATE_ID: text().optional(),
    /**
     * The code each SMS template got when it was registered with the gateway, keyed by its default code
     * or its notice kind, e.g. `{"YM_REVIEW_DUE_90": "SMS_154950909", …}` (docs/notices.md); a template
     * not listed keeps its default code.
     */
    SMS_TEMPLATE_CODES: TemplateCodesJson.optional(),
    /** Which gateway sends SMS: SNS (global profile) or Aliyun SMS (China profile, where SNS SMS is not offered). */
    SMS_PROVIDER: z.enum(['sns', 'aliyun']).default('sns'),
    /** Aliyun: the approved signature name (签名). */
    SMS_SIGN_NAME: text().optional(),
    /** Aliyun: Secrets Manager id of `{"accessKeyId", "accessKeySecret"}`. */
    SMS_SECRET_ARN: text().optional(),
    /**
     * SMS spend limits (docs/notices.md): at most this many SMS per institution per day, and this many in
     * a calendar month across the service. An SMS past either is withheld, not sent; WeChat is unaffected.
     */
    SMS_DAILY_LIMIT_PER_INSTITUTION: wholeNumber(1, 1000, 20),
    SMS_MONTHLY_LIMIT: wholeNumber(1, 10_000_000, 5000),
    /** How long a claim protects a send in progress; keep it below the queue's visibility timeout. */
    NOTICE_LEASE_SECONDS: wholeNumber(10, 3600, 120),
    /** The queue's maxReceiveCount: the attempt after which a message is dead-lettered. */
    NOTICE_MAX_RECEIVES: wholeNumber(1, 100, 5),
  })
  .superRefine((config, ctx) => {
    // Aliyun refuses every SMS without the approved signature: refused here, at cold start, once.
    if (config.SMS_PROVIDER === 'aliyun' && !config.SMS_SIGN_NAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_SIGN_NAME'],
        message:
          'required when SMS_PROVIDER is aliyun: the approved SMS signature (签名), deployed as -c smsSignName=...',
      });
    }
  });

export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

export function loadNotifyConfig(env: Record<string, string | undefined> = process.env): NotifyConfig {
  return parseEnvironment(NotifyConfigSchema, env);
}

/** The SMS spend limits the configuration sets. */
export function smsLimits(config: NotifyConfig): SmsLimits {
  return { dailyPerInstitution: config.SMS_DAILY_LIMIT_PER_INSTITUTION, monthly: config.SMS_MONTHLY_LIMIT };
}

/** The guidance group's contacts (none configured: the publicity_ended notice is reported unreachable). */
export function guidanceContacts(config: NotifyConfig): Contacts {
  return config.GUIDANCE_CONTACTS ?? { phones: [], wechatOpenIds: [] };
}
