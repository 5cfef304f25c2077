import type { Contacts } from '../domain/model.ts';
import { NOTICE_AUDIENCE, type NoticeMessage } from './message.ts';
import type { NoticeIntent } from './port.ts';

/**
 * Turns intents into one message per channel and address: a WeChat message for each openid, an SMS
 * for each phone. Contacts are looked up by the caller (`contactsOf`), the guidance group's from
 * configuration. An institution without contacts gets nothing, and that is reported, not thrown.
 */
export function fanOut(
  intents: readonly NoticeIntent[],
  contactsOf: (uscc: string) => Contacts | undefined,
  guidance: Contacts,
): { messages: NoticeMessage[]; unreachable: NoticeIntent[] } {
  const messages: NoticeMessage[] = [];
  const unreachable: NoticeIntent[] = [];
  for (const intent of intents) {
    const contacts =
      NOTICE_AUDIENCE[intent.kind] === 'guidance' ? guidance : (intent.contacts ?? contactsOf(intent.uscc));
    const base = {
      v: 1 as const,
      uscc: intent.uscc,
      kind: intent.kind,
      cycle: intent.cycle,
      params: intent.params,
      on: intent.on,
    };
    const before = messages.length;
    for (const to of unique(contacts?.wechatOpenIds ?? [])) messages.push({ ...base, channel: 'wechat', to });
    for (const to of unique(contacts?.phones ?? [])) messages.push({ ...base, channel: 'sms', to });
    if (messages.length === before) unreachable.push(intent);
  }
  return { messages, unreachable };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}
