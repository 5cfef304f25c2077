import * as z from 'zod';
import type { Contacts } from '../domain/model.ts';

const ContactsJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON {"phones": [...], "wechatOpenIds": [...]}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.object({
      phones: z.array(z.string().regex(/^1[3-9]\d{9}$/)).default([]),
      wechatOpenIds: z.array(z.string().min(1)).default([]),
    }),
  );

/**
 * Configuration of the notice path, parsed once at cold start. Every variable is optional here; the
 * component that needs one asks for it with `requireSetting`, which fails loudly naming it.
 */
const NotifyConfigSchema = z.object({
  /** The SNS topic jobs and the workflow publish notice requests to. */
  NOTICES_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  /** Who stands for the city's guidance group (市量化分级工作指导组) when a publicity ends. */
  GUIDANCE_CONTACTS: ContactsJson.optional(),
  /** Base URL of the WeChat API; tests point it at a local stub. */
  WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
  /** Secrets Manager id of `{"appId", "appSecret"}` of the Official Account. */
  WECHAT_SECRET_ARN: z.string().min(1).optional(),
  /** The registered template message id (量化分级信用提醒: thing1, thing2, time3, phrase4, thing5; docs/notices.md). */
  WECHAT_TEMPLATE_ID: z.string().min(1).optional(),
  /** Registered SMS sender id and template id (SNS message attributes). */
  SMS_SENDER_ID: z.string().min(1).optional(),
  SMS_TEMPLATE_ID: z.string().min(1).optional(),
  /** Which gateway sends SMS: SNS (global profile) or Aliyun SMS (China profile, where SNS SMS is not offered). */
  SMS_PROVIDER: z.enum(['sns', 'aliyun']).default('sns'),
  /** Aliyun: the approved signature name (签名). */
  SMS_SIGN_NAME: z.string().min(1).optional(),
  /** Aliyun: JSON `{"YM_REVIEW_DUE_90": "SMS_123456789", ...}`, the codes Aliyun assigned to our templates. */
  SMS_TEMPLATE_CODES: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON {"YM_...": "SMS_..."}' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().regex(/^YM_[A-Z0-9_]+$/), z.string().min(1)))
    .optional(),
  /** Aliyun: Secrets Manager id of `{"accessKeyId", "accessKeySecret"}`. */
  SMS_SECRET_ARN: z.string().min(1).optional(),
  /** How long a claim protects a send in progress; keep it below the queue's visibility timeout. */
  NOTICE_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  /** The queue's maxReceiveCount: the attempt after which a message is dead-lettered. */
  NOTICE_MAX_RECEIVES: z.coerce.number().int().min(1).max(100).default(5),
});

export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

export function loadNotifyConfig(env: Record<string, string | undefined> = process.env): NotifyConfig {
  const parsed = NotifyConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${fields}`);
  }
  return parsed.data;
}

/** A setting the caller cannot work without. */
export function requireSetting<K extends keyof NotifyConfig>(
  config: NotifyConfig,
  key: K,
): NonNullable<NotifyConfig[K]> {
  const value = config[key];
  if (value === undefined || value === null)
    throw new Error(`invalid configuration: ${String(key)} is required`);
  return value as NonNullable<NotifyConfig[K]>;
}

/** The guidance group's contacts (none configured: the publicity_ended notice is reported unreachable). */
export function guidanceContacts(config: NotifyConfig): Contacts {
  return config.GUIDANCE_CONTACTS ?? { phones: [], wechatOpenIds: [] };
}
