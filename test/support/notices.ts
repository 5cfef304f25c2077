import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NoticeClaimStore } from '#shared/notify/claims.ts';
import { ContactDirectory } from '#shared/notify/contacts.ts';
import type { ChannelSender, SendResult } from '#shared/notify/delivery.ts';
import { LocalNotifier } from '#shared/notify/local-notifier.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import type { Channel, NoticeMessage } from '#shared/notify/message.ts';

/** A channel sender that keeps what it was asked to send. */
export class MemorySender implements ChannelSender {
  readonly sent: NoticeMessage[] = [];
  constructor(readonly channel: Channel) {}
  async send(message: NoticeMessage): Promise<SendResult> {
    this.sent.push(message);
    return { status: 'sent' };
  }
}

/** The real claim + fan-out path over dynalite, with in-memory senders to count what went out. */
export function memoryNotifier(db: DynamoDBDocumentClient, table: string, guidancePhones: string[] = []) {
  const wechat = new MemorySender('wechat');
  const sms = new MemorySender('sms');
  const directory = new ContactDirectory(db, table);
  const notifier = new LocalNotifier({
    contacts: directory,
    claims: new NoticeClaimStore(db, table),
    senders: { wechat, sms },
    guidance: { phones: guidancePhones, wechatOpenIds: [] },
    logger: silentLogger,
    now: () => new Date('2026-12-01T01:00:00Z'),
  });
  const all = () => [...wechat.sent, ...sms.sent];
  return { notifier, wechat, sms, all, directory };
}
