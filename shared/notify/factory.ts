import type { Config } from '../config.ts';
import type { NoticeIntent, Notifier } from './port.ts';

/**
 * The notifier the admin API sends its notices through. Delivery (SNS → WeChat/SMS) is wired in its
 * own module; until then intents are logged with a warning so that none disappears silently.
 */
export function createNotifier(config: Pick<Config, 'STAGE'>): Notifier {
  return {
    async notify(intents: NoticeIntent[]) {
      for (const intent of intents) {
        console.warn(
          JSON.stringify({
            level: 'warn',
            message: 'notice delivery is not configured; notice not sent',
            stage: config.STAGE,
            uscc: intent.uscc,
            kind: intent.kind,
            cycle: intent.cycle,
          }),
        );
      }
    },
  };
}
