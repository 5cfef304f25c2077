import { handle } from 'hono/aws-lambda';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { createApp } from '#shared/http/app.ts';
import { createNotifier } from '#shared/notify/factory.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

const config = loadConfig();
const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });

export const handler = handle(createApp(buildAdminDeps(config, db, createNotifier(config))));
