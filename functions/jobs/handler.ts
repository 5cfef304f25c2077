import { Logger } from '@aws-lambda-powertools/logger';
import { calendarFrom, clockFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { buildJobs } from '#shared/jobs/index.ts';
import { scheduledRunner } from '#shared/jobs/scheduled-run.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

const logger = new Logger();
const config = loadConfig();
const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const clock = clockFrom(config);
const jobs = buildJobs({ config, db, clock, calendar: calendarFrom(config) });

/** EventBridge Scheduler target: `{job, date?, scheduledAt?}` runs one job for one day. */
export const handler = scheduledRunner(jobs, clock, logger);
