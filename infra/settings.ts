import * as z from 'zod';

/**
 * Deployment parameters, read from CDK context (`cdk.json` defaults, `-c key=value` overrides).
 * Parsed once: a malformed value stops the synth with the name of the parameter.
 */
const SettingsSchema = z.object({
  /** Region of the service. CloudFront's WAF and certificate always live in us-east-1. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-northeast-1'),
  /** Custom domain of the public site and API; without it the CloudFront domain is used. */
  domainName: z.string().min(3).optional(),
  /**
   * Global profile: the regional custom domain CloudFront reaches the HTTP API through (default
   * `origin.<domainName>`). With it the API's execute-api endpoint is switched off, so every request
   * passes CloudFront and its WAF; without either domain the endpoint stays on (a synth warning says so).
   */
  originDomainName: z.string().min(3).optional(),
  /** An imported regional certificate for `originDomainName`; without it ACM issues one (DNS validation). */
  originCertificateArn: z.string().startsWith('arn:').optional(),
  /** Where alarms are e-mailed; without it, subscribe to the alarm topic yourself. */
  alarmEmail: z.email().optional(),
  /** Registered SMS sender id and template id, passed to the SMS sender. */
  smsSenderId: z.string().min(1).optional(),
  smsTemplateId: z.string().min(1).optional(),
  /**
   * SMS_TEMPLATE_CODES: JSON of the code each SMS template was registered under, keyed by default code
   * or notice kind, e.g. `{"YM_REVIEW_DUE_90": "SMS_123456789", ...}` (docs/notices.md).
   */
  smsTemplateCodes: z.string().optional(),
  /** `template` (template messages) or `subscribe` (subscription notices), as WECHAT_NOTICE_API. */
  wechatNoticeApi: z.enum(['template', 'subscribe']).optional(),
  /** The registered WeChat template's id, as WECHAT_TEMPLATE_ID (else `templateId` in the secret). */
  wechatTemplateId: z.string().min(1).optional(),
  /** Alarm when SMS spend this month reaches this many US dollars (SNS only: Aliyun publishes no spend metric). */
  smsMonthlyBudgetUsd: z.coerce.number().positive().default(50),
  /** SMS_DAILY_LIMIT_PER_INSTITUTION: SMS an institution may be sent per day; past it SMS are withheld. */
  smsDailyLimitPerInstitution: z.coerce.number().int().min(1).max(1000).default(20),
  /** SMS_MONTHLY_LIMIT: SMS the service may send per calendar month; past it sending stops and an alarm fires. */
  smsMonthlyLimit: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  /** Fair-use limit: requests per IP per 5 minutes on public paths (WAF rate-based rule). */
  publicRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(300),
  /** Requests per IP per 5 minutes on all paths, authenticated ones included. */
  overallRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(3000),
  /** JSON of extra working-day calendar years (docs/calendar.md). */
  calendarOverrides: z.string().optional(),
  /** JSON `{"phones": [...], "wechatOpenIds": [...]}` of the guidance group, told when publicity ends. */
  guidanceContacts: z.string().optional(),
  /** ICP filing number (e.g. 浙ICP备00000000号), shown in every page footer; required in the China profile. */
  icpNumber: z.string().min(4).optional(),
  /** External OIDC provider (China profile; docs/deploy-china.md): issuer URL and the audience of its tokens. */
  oidcIssuer: z.url().optional(),
  oidcAudience: z.string().min(1).optional(),
  /** The provider's JWKS; without it, the `jwks_uri` of `<oidcIssuer>/.well-known/openid-configuration`. */
  oidcJwksUrl: z.url().optional(),
  /** Claim carrying the user's groups (a dotted path such as `realm_access.roles` reaches into an object). */
  oidcGroupsClaim: z.string().min(1).default('groups'),
  /** Regional certificate to use instead of issuing one through ACM (China profile, imported certificate). */
  certificateArn: z.string().startsWith('arn:').optional(),
  /** SMS gateway: SNS (global default) or Aliyun SMS (China default). */
  smsProvider: z.enum(['sns', 'aliyun']).optional(),
  /** Aliyun SMS: the approved signature name (签名); the template codes are `smsTemplateCodes` above. */
  smsSignName: z.string().min(1).optional(),
  /** NAT gateways (one per availability zone, each on its own Elastic IP) for the WeChat egress. */
  natGateways: z.coerce.number().int().min(1).max(3).default(2),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as (keyof Settings)[];

/** Parses the settings from a context lookup (e.g. `(k) => app.node.tryGetContext(k)`). */
export function parseSettings(lookup: (key: string) => unknown): Settings {
  const raw = Object.fromEntries(
    SETTING_KEYS.map((k) => [k, lookup(k)]).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid deployment context: ${fields}`);
  }
  return parsed.data;
}
