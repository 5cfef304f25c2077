import { handle } from 'hono/aws-lambda';
import { buildAdminDeps, clockFrom } from '#shared/bootstrap.ts';
import { createImportsApp } from '#shared/http/apps/imports.ts';
import { createNotifier } from '#shared/notify/factory.ts';
import { redactingLogger } from '#shared/notify/mask.ts';
import { NoticeOutbox, OutboxNotifier } from '#shared/notify/outbox.ts';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

export const handler = handlerWithConfig((config) => {
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const clock = clockFrom(config);
  // A committed change never fails because its notice could not be queued: the outbox job re-sends it.
  const notifier = new OutboxNotifier(
    createNotifier(config, { db }),
    new NoticeOutbox(db, config.TABLE_NAME),
    clock,
    redactingLogger(),
  );
  return handle(createImportsApp(buildAdminDeps(config, db, notifier, clock)));
});
