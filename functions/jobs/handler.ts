import { SNSClient } from '@aws-sdk/client-sns';
import { calendarFrom } from '#shared/bootstrap.ts';
import { systemClock } from '#shared/clock.ts';
import { buildJobs } from '#shared/jobs/index.ts';
import { runScheduledJob } from '#shared/jobs/scheduled-event.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { createNotifier } from '#shared/notify/factory.ts';
import { redactingLogger } from '#shared/notify/mask.ts';
import { loadSenderEnv } from '#shared/notify/senders.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';

const env = loadSenderEnv();
const notifyConfig = loadNotifyConfig();
const db = createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT });
const sns = new SNSClient({ region: env.AWS_REGION });
const clock = systemClock();
const logger = redactingLogger();
const jobs = buildJobs({
  config: env,
  db,
  clock,
  calendar: calendarFrom({ CALENDAR_OVERRIDES: process.env.CALENDAR_OVERRIDES }),
  notifier: createNotifier(env, { notifyConfig, db, sns, logger }),
});

/** EventBridge Scheduler target: `{"job": "reminders" | "publicity" | "upgrade-window", "date"?: "YYYY-MM-DD"}`. */
export const handler = async (event: unknown) => {
  const report = await runScheduledJob(jobs, event, clock);
  logger.info('job done', { ...report });
  return report;
};
