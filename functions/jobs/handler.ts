import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import { calendarFrom, clockFrom } from '#shared/bootstrap.ts';
import { buildJobs, buildOnDemandJobs } from '#shared/jobs/index.ts';
import { scheduledRunner } from '#shared/jobs/scheduled-run.ts';
import { createNotifier } from '#shared/notify/factory.ts';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';
import { documentClientFor } from '#shared/store/dynamo.ts';

const logger = new Logger();

/**
 * EventBridge Scheduler target: `{job, date?, scheduledAt?}` runs one job for one day. The on-demand
 * jobs are run the same way when the function is invoked by hand.
 */
export const handler = handlerWithConfig((config) => {
  const db = documentClientFor(config);
  const sns = new SNSClient({ region: config.AWS_REGION });
  const clock = clockFrom(config);
  const notifier = createNotifier(config, { db, sns });
  const jobs = [
    ...buildJobs({ config, db, clock, calendar: calendarFrom(config), notifier }),
    ...buildOnDemandJobs({ config, db, clock }),
  ];
  return scheduledRunner(jobs, clock, logger);
});
