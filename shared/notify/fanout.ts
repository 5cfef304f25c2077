import type { Contacts } from '../domain/model.ts';
import type { ContactLookup } from './contacts.ts';
import type { NoticeLogger } from './mask.ts';
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

/**
 * `fanOut` with the institutions' contacts looked up in one call (an intent that carries its own
 * contacts, or is for the guidance group, needs none); each intent no contact reaches is logged.
 */
export async function fanOutResolved(
  intents: readonly NoticeIntent[],
  opts: { contacts: ContactLookup; guidance: Contacts; logger: NoticeLogger },
): Promise<{ messages: NoticeMessage[]; unreachable: NoticeIntent[] }> {
  const institutions = intents
    .filter((i) => NOTICE_AUDIENCE[i.kind] === 'institution' && !i.contacts)
    .map((i) => i.uscc);
  const contacts = institutions.length > 0 ? await opts.contacts.resolve(institutions) : new Map();
  const fanned = fanOut(intents, (u) => contacts.get(u), opts.guidance);
  for (const intent of fanned.unreachable) {
    opts.logger.warn('no contact to notify', { uscc: intent.uscc, kind: intent.kind, cycle: intent.cycle });
  }
  return fanned;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}
