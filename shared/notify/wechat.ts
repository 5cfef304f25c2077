import type { ChannelSender, SendResult } from './delivery.ts';
import type { NoticeMessage } from './message.ts';
import { WECHAT_ERRCODES, wechatErrAction } from './wechat-errcodes.ts';
import { wechatFields } from './wechat-fields.ts';

/** The Official Account's app id and secret (from Secrets Manager in AWS). */
export interface WeChatCredentials {
  appId: string;
  appSecret: string;
  /** The template message id, when kept with the credentials rather than in the configuration. */
  templateId?: string | undefined;
}

export interface WeChatClientOptions {
  /** `https://api.weixin.qq.com` in production; a local stub in tests. */
  baseUrl: string;
  credentials: () => Promise<WeChatCredentials>;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** WeChat's answer to a send: errcode 0 = accepted. */
export interface WeChatSendAnswer {
  errcode: number;
  errmsg: string;
  msgid?: string;
}

/**
 * How notices reach WeChat users (setting WECHAT_NOTICE_API): `template` — template messages
 * (/cgi-bin/message/template/send, a service account's industry templates); `subscribe` — subscription
 * notices (/cgi-bin/message/subscribe/bizsend, templates from the subscription library, for accounts
 * whose users took a long-term subscription). Both carry the same typed fields (wechat-fields.ts).
 */
export const WECHAT_NOTICE_APIS = ['template', 'subscribe'] as const;
export type WeChatNoticeApi = (typeof WECHAT_NOTICE_APIS)[number];

/** A WeChat API answer with a non-zero errcode. */
export class WeChatApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`WeChat errcode ${errcode}: ${errmsg}`);
    this.name = 'WeChatApiError';
  }
}

/** WeChat answered with an HTTP error or something that is not its JSON: retry later. */
export class WeChatHttpError extends Error {
  constructor(readonly status: number) {
    super(`WeChat API answered HTTP ${status}`);
    this.name = 'WeChatHttpError';
  }
}

/** Renew a token this long before WeChat says it expires, so a send never races the expiry. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * The Official Account HTTPS API: access token (fetched once and cached until shortly before it
 * expires; concurrent callers share one fetch) and template messages.
 */
export class WeChatClient {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  /** Token fetches made (tests and metrics). */
  tokenFetches = 0;

  constructor(private readonly opts: WeChatClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.now = opts.now ?? Date.now;
  }

  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** The template id kept with the credentials, if any. */
  async templateIdFromCredentials(): Promise<string | undefined> {
    return (await this.opts.credentials()).templateId;
  }

  /** Forgets the cached token (WeChat said it is invalid or expired). */
  invalidate(token: string): void {
    if (this.token?.value === token) this.token = null;
  }

  /**
   * POST /cgi-bin/stable_token in normal mode: while a token is valid WeChat hands every caller the
   * same one, so instances never invalidate each other's tokens (unlike /cgi-bin/token, where every
   * fetch replaces the previous token). `force_refresh` stays false: it is for a leaked secret only.
   */
  private async fetchToken(): Promise<string> {
    const { appId, appSecret } = await this.opts.credentials();
    const url = new URL('/cgi-bin/stable_token', this.opts.baseUrl);
    this.tokenFetches++;
    const body = await this.call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credential',
        appid: appId,
        secret: appSecret,
        force_refresh: false,
      }),
    });
    const token = typeof body.access_token === 'string' ? body.access_token : null;
    if (!token)
      throw new WeChatApiError(Number(body.errcode ?? -1), String(body.errmsg ?? 'no access_token'));
    const expiresIn = Number(body.expires_in ?? 7200) * 1000;
    this.token = { value: token, expiresAt: this.now() + Math.max(0, expiresIn - EXPIRY_MARGIN_MS) };
    return token;
  }

  /** POST /cgi-bin/message/template/send; returns WeChat's errcode (0 = accepted) and msgid. */
  async sendTemplate(
    token: string,
    payload: { touser: string; template_id: string; url?: string; data: Record<string, { value: string }> },
  ): Promise<WeChatSendAnswer> {
    return this.send('/cgi-bin/message/template/send', token, payload);
  }

  /**
   * POST /cgi-bin/message/subscribe/bizsend: an Official Account subscription notice (订阅通知), for
   * accounts whose users took a long-term subscription. `page` is the web page the card opens.
   */
  async sendSubscribe(
    token: string,
    payload: { touser: string; template_id: string; page?: string; data: Record<string, { value: string }> },
  ): Promise<WeChatSendAnswer> {
    return this.send('/cgi-bin/message/subscribe/bizsend', token, payload);
  }

  private async send(path: string, token: string, payload: object): Promise<WeChatSendAnswer> {
    const url = new URL(path, this.opts.baseUrl);
    url.searchParams.set('access_token', token);
    const body = await this.call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    return {
      errcode: Number(body.errcode ?? 0),
      errmsg: String(body.errmsg ?? ''),
      ...(body.msgid !== undefined ? { msgid: String(body.msgid) } : {}),
    };
  }

  private async call(url: URL, init: RequestInit): Promise<Record<string, unknown>> {
    const res = await this.fetch(url, {
      ...init,
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    if (!res.ok) throw new WeChatHttpError(res.status);
    try {
      return (await res.json()) as Record<string, unknown>;
    } catch {
      throw new WeChatHttpError(res.status);
    }
  }
}

/**
 * Sends a notice as a WeChat template message or subscription notice (opts.api, template by default),
 * following WECHAT_ERRCODES: an expired token is renewed
 * once and the send retried; a "never retry" code is terminal; anything else is thrown so the queue
 * redelivers it later.
 */
export class WeChatSender implements ChannelSender {
  readonly channel = 'wechat' as const;

  constructor(
    private readonly client: WeChatClient,
    private readonly opts: {
      templateId?: string | undefined;
      linkBase?: string;
      api?: WeChatNoticeApi;
    },
  ) {}

  async send(message: NoticeMessage): Promise<SendResult> {
    const templateId = this.opts.templateId ?? (await this.client.templateIdFromCredentials());
    // Thrown, not terminal: once the operator adds the template id, the queue's retries go through.
    if (!templateId)
      throw new Error('no WeChat template id: set WECHAT_TEMPLATE_ID or templateId in the secret');
    const link = this.opts.linkBase ? institutionPage(this.opts.linkBase, message.uscc) : undefined;
    const base = { touser: message.to, template_id: templateId, data: wechatFields(message) };
    const deliver = (token: string) =>
      this.opts.api === 'subscribe'
        ? this.client.sendSubscribe(token, { ...base, ...(link ? { page: link } : {}) })
        : this.client.sendTemplate(token, { ...base, ...(link ? { url: link } : {}) });
    let token = await this.client.accessToken();
    let answer = await deliver(token);
    if (answer.errcode !== 0 && wechatErrAction(answer.errcode) === 'token') {
      this.client.invalidate(token);
      token = await this.client.accessToken();
      answer = await deliver(token);
    }
    if (answer.errcode === 0)
      return { status: 'sent', ...(answer.msgid ? { providerId: answer.msgid } : {}) };
    if (wechatErrAction(answer.errcode) === 'never') {
      const meaning = WECHAT_ERRCODES[answer.errcode]?.meaning ?? answer.errmsg;
      return { status: 'terminal', reason: `${meaning} (${answer.errcode})` };
    }
    throw new WeChatApiError(answer.errcode, answer.errmsg);
  }
}

/** The institution's public page (the HTML page, not the JSON API): where a notice's link leads. */
export function institutionPage(linkBase: string, uscc: string): string {
  return `${linkBase.replace(/\/+$/, '')}/i/${encodeURIComponent(uscc)}`;
}
