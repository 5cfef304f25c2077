import { createHash } from 'node:crypto';
import * as z from 'zod';
import { NOTICE_KINDS, type NoticeKind } from './port.ts';

/** Delivery channels; each has its own queue, sender Lambda and dead-letter queue. */
export const CHANNELS = ['wechat', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who a kind of notice is addressed to: the institution itself, or the city's guidance group. */
export const NOTICE_AUDIENCE: Record<NoticeKind, 'institution' | 'guidance'> = {
  review_due_90: 'institution',
  review_due_30: 'institution',
  review_due_7: 'institution',
  review_overdue: 'institution',
  publicity_started: 'institution',
  // The guidance group confirms results after publicity (DOMAIN.md step 4), so it is told when one ends.
  publicity_ended: 'guidance',
  result_published: 'institution',
  downgraded: 'institution',
  upgrade_window: 'institution',
  upgrade_accepted: 'institution',
  upgrade_refused: 'institution',
  upgrade_banned: 'institution',
};

const ParamValue = z.union([z.string(), z.number(), z.null()]);

/**
 * One notice to one address on one channel: the body of the SNS message and of the SQS record the
 * sender reads. Validated again at the sender, which trusts nothing it reads from a queue.
 */
export const NoticeMessageSchema = z.object({
  v: z.literal(1),
  uscc: z.string().min(1).max(32),
  kind: z.enum(NOTICE_KINDS),
  cycle: z.string().min(1).max(100),
  channel: z.enum(CHANNELS),
  /** Phone number (sms) or openid (wechat), in the clear: the queue is encrypted, logs are not. */
  to: z.string().min(1).max(128),
  params: z.record(z.string(), ParamValue),
  on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type NoticeMessage = z.infer<typeof NoticeMessageSchema>;

/**
 * A short, stable, non-reversible id of an address: claim keys and listings carry it instead of the
 * phone number or openid, so two phones of one institution are claimed separately.
 */
export function recipientId(address: string): string {
  return createHash('sha256').update(address).digest('hex').slice(0, 12);
}

/** The claim's channel segment: `sms~<recipientId>`, so the claim is per institution#kind#cycle#channel#address. */
export function claimChannel(message: Pick<NoticeMessage, 'channel' | 'to'>): string {
  return `${message.channel}~${recipientId(message.to)}`;
}

/** Human-readable identity of a message for logs (no address in it). */
export function describeMessage(
  m: Pick<NoticeMessage, 'uscc' | 'kind' | 'cycle' | 'channel' | 'to'>,
): string {
  return `${m.uscc}#${m.kind}#${m.cycle}#${claimChannel(m)}`;
}
