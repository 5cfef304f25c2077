import { buildAdminDeps, clockFrom } from '../../bootstrap.ts';
import type { Config } from '../../config.ts';
import { createNotifier } from '../../notify/factory.ts';
import { redactingLogger } from '../../notify/mask.ts';
import { NoticeOutbox, OutboxNotifier } from '../../notify/outbox.ts';
import { documentClientFor } from '../../store/dynamo.ts';
import type { AdminDeps } from '../deps.ts';

/** What the regulators' functions (admin and imports) run on, built once per cold start from their configuration. */
export function regulatorDeps(config: Config): AdminDeps {
  const db = documentClientFor(config);
  const clock = clockFrom(config);
  // A committed change never fails because its notice could not be queued: the outbox job re-sends it.
  const notifier = new OutboxNotifier(
    createNotifier(config, { db }),
    new NoticeOutbox(db, config.TABLE_NAME),
    clock,
    redactingLogger(),
  );
  return buildAdminDeps(config, db, notifier, clock);
}
