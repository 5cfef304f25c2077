/**
 * What each WeChat errcode answered to a send means for the notice:
 * - `token`: the access token is invalid or expired — renew it once and send again;
 * - `never`: this message can never be delivered as it is — fail it for good (no redelivery);
 * - `later`: WeChat is busy or over quota — fail transiently, so the queue redelivers it later.
 * An errcode that is not listed is treated as `later`: an unknown answer is retried, never dropped.
 */
export type WeChatErrAction = 'token' | 'never' | 'later';

export const WECHAT_ERRCODES: Readonly<Record<number, { action: WeChatErrAction; meaning: string }>> = {
  40001: { action: 'token', meaning: 'invalid credential: access token invalid or not the latest' },
  40014: { action: 'token', meaning: 'invalid access token' },
  42001: { action: 'token', meaning: 'access token expired' },
  43004: { action: 'never', meaning: 'user does not follow the official account' },
  40003: { action: 'never', meaning: 'invalid openid' },
  47003: { action: 'never', meaning: 'template field value does not meet its type or length' },
  43101: { action: 'never', meaning: 'user refused to accept the message' },
  45009: { action: 'later', meaning: 'API daily quota reached' },
  [-1]: { action: 'later', meaning: 'system busy' },
  45047: { action: 'later', meaning: 'too many messages to this user' },
};

/** The action for an errcode of a send (0 is success and is not classified). */
export function wechatErrAction(errcode: number): WeChatErrAction {
  return WECHAT_ERRCODES[errcode]?.action ?? 'later';
}
