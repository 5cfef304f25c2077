import { handle } from 'hono/aws-lambda';
import { buildPublicDeps } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createPublicApp } from '#shared/http/apps/public.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

const config = loadConfig();
const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });

export const handler = handle(createPublicApp(buildPublicDeps(config, db)));
