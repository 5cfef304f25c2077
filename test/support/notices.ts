import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
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

/**
 * An SQS record as Lambda hands it to a sender: `body` as JSON, inside the SNS notification envelope
 * when `enveloped` (a queue subscribed to the notices topic), received `receiveCount` times.
 */
export function sqsRecord(
  id: string,
  body: unknown,
  {
    receiveCount = 1,
    enveloped = false,
    queue = 'q',
  }: { receiveCount?: number; enveloped?: boolean; queue?: string } = {},
): SQSRecord {
  const text = JSON.stringify(body);
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: enveloped ? JSON.stringify({ Type: 'Notification', Message: text }) : text,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'sns',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws-cn:sqs:cn-north-1:123456789012:${queue}`,
    awsRegion: 'cn-north-1',
  };
}

/** A batch of notices as one SQS event, each record `m<i>`. */
export function noticeEvent(
  messages: NoticeMessage[],
  options: { receiveCount?: number; enveloped?: boolean } = {},
): SQSEvent {
  return { Records: messages.map((m, i) => sqsRecord(`m${i}`, m, options)) };
}
