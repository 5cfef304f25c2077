import { handle } from 'hono/aws-lambda';
import { buildPublicDeps } from '#shared/bootstrap.ts';
import { createPublicApp, createPublicAppWithDocument } from '#shared/http/apps/public.ts';
import { embeddedDocument } from '#shared/http/embedded-document.ts';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';

/**
 * In the bundle, the whole service's OpenAPI document (every function's operations), embedded by the
 * bundler (infra/bundling.ts); unbundled, there is none and the app documents the routes it mounts.
 */
declare const SERVICE_OPENAPI_BROTLI: string | undefined;

export const handler = handlerWithConfig((config) => {
  const db = documentClientFor(config);
  const deps = buildPublicDeps(config, db);
  // A conditional the bundler resolves while parsing: the bundle keeps no document generation code.
  return handle(
    typeof SERVICE_OPENAPI_BROTLI === 'string'
      ? createPublicAppWithDocument(deps, embeddedDocument(SERVICE_OPENAPI_BROTLI, deps.publicBaseUrl))
      : createPublicApp(deps),
  );
});
