import { handle } from 'hono/aws-lambda';
import { buildWorkflowDeps } from '#shared/bootstrap.ts';
import { createObjectionsApp } from '#shared/http/apps/objections.ts';
import type { Notifier } from '#shared/notify/port.ts';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';

/** Lodging an objection notifies nobody, so this function may publish to no topic. */
const noNotices: Notifier = {
  notify: async (intents) => {
    if (intents.length > 0) throw new Error('the objections function sends no notices');
  },
};

export const handler = handlerWithConfig((config) => {
  const db = documentClientFor(config);
  return handle(createObjectionsApp(buildWorkflowDeps(config, db, noNotices)));
});
