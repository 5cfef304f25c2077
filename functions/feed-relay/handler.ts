import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod';
import { calendarFrom, clockFrom } from '#shared/bootstrap.ts';
import { loadConfig } from '#shared/config.ts';
import { buildFeedRelayJob } from '#shared/jobs/feed-relay.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

/**
 * The change-event relay, invoked every minute by EventBridge Scheduler (reserved concurrency 1).
 * The invocation only wakes it: it reads the feed from its own watermark, so a missed, repeated or
 * overlapping invocation loses and doubles nothing.
 */
const config = loadConfig();
if (!config.FEED_TOPIC_ARN)
  throw new Error('invalid configuration: FEED_TOPIC_ARN is required by the feed relay');
const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const sns = new SNSClient({ region: config.AWS_REGION });
const clock = clockFrom(config);
const job = buildFeedRelayJob({ config, db, clock, calendar: calendarFrom(config) }, sns);
const logger = new Logger({ serviceName: 'feed-relay' });

/** A scheduler payload (or a DynamoDB stream batch): its content is not needed, only that it is an object. */
const Wake = z.object({}).loose();

export const handler = async (event: unknown) => {
  Wake.parse(event ?? {});
  const report = await job.run(clock.today());
  logger.info('feed relay run', { report });
  const failed = Array.isArray(report.failed) ? report.failed.length : 0;
  // Failing the invocation feeds the Errors alarm; the events stay behind the watermark for the next run.
  if (failed > 0) throw new Error(`feed relay: ${failed} event(s) not published; the next run retries them`);
  return report;
};
