import * as dysms from '@alicloud/dysmsapi20170525';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { type SmsProvider, SmsRejectedError, type SmsRequest } from './sms.ts';

/** The one call of Aliyun's SMS API the service makes (the SDK client has it; tests pass a fake). */
export interface AliyunSmsApi {
  sendSms(
    request: dysms.SendSmsRequest,
  ): Promise<{ body?: { code?: string; message?: string; bizId?: string } }>;
}

/** `{accessKeyId, accessKeySecret}` of a RAM user that may only call dysms:SendSms. */
export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

/**
 * Aliyun's answers (body `Code`, or the `code` of a thrown error) that mean this message can never be
 * delivered as it is: the number is not a mobile number, or the content is refused. Giving up keeps
 * the queue from retrying them. Everything else — throttling (isv.BUSINESS_LIMIT_CONTROL,
 * isv.DAY_LIMIT_CONTROL), balance (isv.AMOUNT_NOT_ENOUGH), account, signature, template or credential
 * problems an operator can fix, and unknown codes — is retried and, at last, dead-lettered (alarmed),
 * from where the `dead-letters` job moves it back once fixed. A code other than OK means nothing was sent, so a retry
 * cannot send twice.
 */
export const ALIYUN_GIVE_UP_CODES: ReadonlySet<string> = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.INVALID_PARAMETERS',
  'isv.DENY_IP_RANGE',
]);

export type AliyunOutcome = 'sent' | 'give-up' | 'retry';

/** Aliyun's code → what the delivery path does with the message. */
export function classifyAliyunCode(code: string | undefined): AliyunOutcome {
  if (code === 'OK') return 'sent';
  if (code && ALIYUN_GIVE_UP_CODES.has(code)) return 'give-up';
  return 'retry';
}

/** The error of an Aliyun call the provider retries: names the code, never the phone number. */
export class AliyunSmsError extends Error {
  constructor(readonly code: string) {
    super(`Aliyun SMS refused: ${code}`);
    this.name = 'AliyunSmsError';
  }
}

export interface AliyunSmsOptions {
  /** The approved signature (签名), e.g. the rulebook's wording.smsSignature without its brackets. */
  signName: string;
  /** The service's template codes (sms-templates.ts) → the codes Aliyun assigned when it approved them. */
  templateCodes: Readonly<Record<string, string>>;
  /** The API client for the current credentials (one client per credential set is kept). */
  api: () => Promise<AliyunSmsApi>;
}

/**
 * SMS through Aliyun (阿里云短信服务) behind the SmsProvider port: a registered signature, a registered
 * template and its variables; the rendered text is not sent. The SDK's own retries stay off (its
 * default), so the only retries are the queue's, after the notice claim says the message is unsent.
 */
export class AliyunSmsProvider implements SmsProvider {
  constructor(private readonly opts: AliyunSmsOptions) {}

  async send({ phone, templateCode, params }: SmsRequest): Promise<{ messageId: string }> {
    const registered = this.opts.templateCodes[templateCode];
    // An operator fixes this in the settings; until then the message waits (and dead-letters).
    if (!registered) throw new Error(`SMS template ${templateCode} has no Aliyun code in SMS_TEMPLATE_CODES`);
    const request = new dysms.SendSmsRequest({
      phoneNumbers: mainlandNumber(phone),
      signName: this.opts.signName,
      templateCode: registered,
      templateParam: JSON.stringify(params),
    });
    const api = await this.opts.api();
    let code: string | undefined;
    let bizId: string | undefined;
    try {
      const out = await api.sendSms(request);
      code = out.body?.code;
      bizId = out.body?.bizId;
    } catch (err) {
      const thrown = (err as { code?: unknown }).code;
      if (typeof thrown === 'string' && classifyAliyunCode(thrown) === 'give-up') {
        throw new SmsRejectedError(`SMS refused: ${thrown}`);
      }
      throw err;
    }
    const outcome = classifyAliyunCode(code);
    if (outcome === 'sent') return { messageId: bizId ?? '' };
    if (outcome === 'give-up') throw new SmsRejectedError(`SMS refused: ${code}`);
    throw new AliyunSmsError(code ?? 'no code');
  }
}

/** Aliyun takes mainland numbers as their 11 digits. */
export function mainlandNumber(phone: string): string {
  return phone.replace(/^\+86/, '');
}

const CredentialsSchema = z.object({ accessKeyId: z.string().min(1), accessKeySecret: z.string().min(1) });

/**
 * A client for the credentials in Secrets Manager, re-read once per `ttlMs` (a rotated AccessKey is
 * picked up without a redeploy); the client is rebuilt only when the credentials change.
 */
export function aliyunApiFromSecret(
  secrets: SecretsManagerClient,
  secretId: string,
  opts: { ttlMs?: number; now?: () => number; newApi?: (c: AliyunCredentials) => AliyunSmsApi } = {},
): () => Promise<AliyunSmsApi> {
  const ttl = opts.ttlMs ?? 15 * 60_000;
  const now = opts.now ?? Date.now;
  const newApi = opts.newApi ?? newAliyunClient;
  let cached: { api: AliyunSmsApi; keyId: string; until: number } | null = null;
  return async () => {
    if (cached && cached.until > now()) return cached.api;
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    let json: unknown;
    try {
      json = JSON.parse(out.SecretString ?? '');
    } catch {
      throw new Error(`secret ${secretId} is not JSON {"accessKeyId", "accessKeySecret"}`);
    }
    const parsed = CredentialsSchema.safeParse(json);
    if (!parsed.success) throw new Error(`secret ${secretId} lacks accessKeyId or accessKeySecret`);
    const api = cached?.keyId === parsed.data.accessKeyId ? cached.api : newApi(parsed.data);
    cached = { api, keyId: parsed.data.accessKeyId, until: now() + ttl };
    return api;
  };
}

type ClientClass = new (config: Record<string, unknown>) => AliyunSmsApi;

/** The SDK client. Its package is CommonJS with `exports.default`: Node's ESM and esbuild see it differently. */
export function newAliyunClient(credentials: AliyunCredentials): AliyunSmsApi {
  const mod = dysms.default as unknown as ClientClass | { default: ClientClass };
  const Client = typeof mod === 'function' ? mod : mod.default;
  return new Client({
    ...credentials,
    endpoint: 'dysmsapi.aliyuncs.com',
    connectTimeout: 5_000,
    readTimeout: 10_000,
  });
}
