import { handle } from 'hono/aws-lambda';
import { buildPublicDeps } from '#shared/bootstrap.ts';
import { createPublicApp } from '#shared/http/apps/public.ts';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';

export const handler = handlerWithConfig((config) => {
  const db = documentClientFor(config);
  return handle(createPublicApp(buildPublicDeps(config, db)));
});
