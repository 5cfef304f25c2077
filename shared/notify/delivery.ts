import type { NoticeClaimStore } from './claims.ts';
import { maskAddress, type NoticeLogger, redact } from './mask.ts';
import { type Channel, describeMessage, type NoticeMessage } from './message.ts';
import type { SmsSpendGuard } from './sms-spend.ts';

/** What a channel sender reports. A transient failure is thrown instead, so the queue retries it. */
export type SendResult = { status: 'sent'; providerId?: string } | { status: 'terminal'; reason: string };

/** Delivers one message on one channel (WeChat, SMS, or the local file sink). */
export interface ChannelSender {
  readonly channel: Channel;
  send(message: NoticeMessage): Promise<SendResult>;
}

export interface DeliveryContext {
  claims: NoticeClaimStore;
  sender: ChannelSender;
  now: () => Date;
  logger: NoticeLogger;
  /** How long a claim protects a send in progress; a crashed sender's claim is retried after it. */
  leaseMs: number;
  /** Delivery attempt of this message (SQS ApproximateReceiveCount), 1 locally. */
  receiveCount?: number;
  /** The queue's maxReceiveCount: a transient failure on that attempt dead-letters the message. */
  maxReceives?: number;
  /** SMS spend limits; an SMS past one of them is withheld instead of sent. */
  smsSpend?: SmsSpendGuard;
}

export type DeliveryOutcome = 'sent' | 'duplicate' | 'terminal' | 'withheld';

/** Another sender holds a live claim on this notice: the message comes back after the visibility timeout. */
export class NoticeBusyError extends Error {
  constructor(m: NoticeMessage, leaseUntil: string) {
    super(`notice ${describeMessage(m)} is being sent by another sender until ${leaseUntil}`);
    this.name = 'NoticeBusyError';
  }
}

/**
 * The exactly-once path every channel shares: claim first (conditional write), then send, then settle
 * the claim. An SMS past a spend limit is settled as withheld, not sent. A message whose claim is
 * already settled is dropped; a transient failure releases the claim and is rethrown, so the queue
 * retries it and, at last, dead-letters it.
 */
export async function deliverNotice(message: NoticeMessage, ctx: DeliveryContext): Promise<DeliveryOutcome> {
  const id = describeMessage(message);
  const to = maskAddress(message.channel, message.to);
  const claim = await ctx.claims.claim(message, ctx.now(), ctx.leaseMs);
  if (claim.status === 'done') {
    ctx.logger.info('notice already settled; dropped', { notice: id, state: claim.state });
    return 'duplicate';
  }
  if (claim.status === 'busy') throw new NoticeBusyError(message, claim.leaseUntil);

  let result: SendResult | { status: 'withheld'; reason: string };
  try {
    const spend = message.channel === 'sms' && ctx.smsSpend ? await ctx.smsSpend.reserve(message) : null;
    result = spend?.status === 'withheld' ? spend : await ctx.sender.send(message);
  } catch (err) {
    const reason = redact(errorText(err), [message.to]);
    const deadLettered = ctx.maxReceives !== undefined && (ctx.receiveCount ?? 1) >= ctx.maxReceives;
    await ctx.claims.markRetrying(message, claim.token, ctx.now(), reason, deadLettered);
    ctx.logger.warn(deadLettered ? 'notice failed; dead-lettered' : 'notice failed; will retry', {
      notice: id,
      to,
      attempt: claim.attempts,
      reason,
    });
    throw err;
  }
  if (result.status === 'sent') {
    await ctx.claims.markSent(message, claim.token, ctx.now());
    ctx.logger.info('notice sent', { notice: id, to, providerId: result.providerId });
    return 'sent';
  }
  if (result.status === 'withheld') {
    await ctx.claims.markWithheld(message, claim.token, ctx.now(), result.reason);
    ctx.logger.warn('SMS withheld: spend limit reached', { notice: id, to, reason: result.reason });
    return 'withheld';
  }
  const reason = redact(result.reason, [message.to]);
  await ctx.claims.markTerminal(message, claim.token, ctx.now(), reason);
  ctx.logger.warn('notice failed for good', { notice: id, to, reason });
  return 'terminal';
}

function errorText(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
}
