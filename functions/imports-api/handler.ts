import { handle } from 'hono/aws-lambda';
import { createImportsApp } from '#shared/http/apps/imports.ts';
import { regulatorDeps } from '#shared/http/apps/regulator-deps.ts';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';

export const handler = handlerWithConfig((config) => handle(createImportsApp(regulatorDeps(config))));
