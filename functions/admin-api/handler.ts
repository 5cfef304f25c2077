import { handle } from 'hono/aws-lambda';
import { createAdminApp } from '#shared/http/apps/admin.ts';
import { regulatorDeps } from '#shared/http/apps/regulator-deps.ts';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';

export const handler = handlerWithConfig((config) => handle(createAdminApp(regulatorDeps(config))));
