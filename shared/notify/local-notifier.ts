import type { Contacts } from '../domain/model.ts';
import type { NoticeClaimStore } from './claims.ts';
import type { ContactLookup } from './contacts.ts';
import { type ChannelSender, deliverNotice } from './delivery.ts';
import { fanOutResolved } from './fanout.ts';
import type { NoticeLogger } from './mask.ts';
import type { Channel } from './message.ts';
import type { NoticeIntent, Notifier } from './port.ts';
import type { SmsSpendGuard } from './sms-spend.ts';

/**
 * The local notifier: the same contact lookup, fan-out, claim and templates as in AWS, with the
 * queue hop left out: each message is delivered inline by the channel's sender (locally the
 * `notices.jsonl` sink). Running a job twice therefore writes each notice once.
 */
export class LocalNotifier implements Notifier {
  readonly stats = { sent: 0, duplicates: 0, terminal: 0, withheld: 0, unreachable: 0 };

  constructor(
    private readonly opts: {
      contacts: ContactLookup;
      claims: NoticeClaimStore;
      senders: Record<Channel, ChannelSender>;
      guidance: Contacts;
      logger: NoticeLogger;
      now: () => Date;
      leaseMs?: number;
      smsSpend?: SmsSpendGuard;
    },
  ) {}

  async notify(intents: NoticeIntent[]): Promise<void> {
    if (intents.length === 0) return;
    const { messages, unreachable } = await fanOutResolved(intents, this.opts);
    this.stats.unreachable += unreachable.length;
    for (const message of messages) {
      const outcome = await deliverNotice(message, {
        claims: this.opts.claims,
        sender: this.opts.senders[message.channel],
        now: this.opts.now,
        logger: this.opts.logger,
        leaseMs: this.opts.leaseMs ?? 120_000,
        ...(this.opts.smsSpend ? { smsSpend: this.opts.smsSpend } : {}),
      });
      if (outcome === 'sent') this.stats.sent++;
      else if (outcome === 'duplicate') this.stats.duplicates++;
      else if (outcome === 'withheld') this.stats.withheld++;
      else this.stats.terminal++;
    }
  }
}
