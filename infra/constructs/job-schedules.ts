import { type CfnElement, Duration, type Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { ScheduledJob } from '../../shared/schemas/job-event.ts';
import type { OperationsAlarms } from './operations-alarms.ts';

/** What each scheduled job is for and when it runs (Asia/Shanghai). */
export interface JobSchedule {
  job: ScheduledJob;
  what: string;
  cron: scheduler.CronOptionsWithTimezone;
}

/**
 * One EventBridge Scheduler schedule per job, each invoking the jobs function with the job's name and
 * its scheduled time, retried and then dead-lettered to a watched queue. Scheduler invokes Lambda
 * asynchronously, so its queue only holds invocations Lambda never accepted; a run that fails after
 * Lambda's own retries goes to the same queue through the function's on-failure destination. The
 * schedules and the queue are created on the stack itself, so both profiles keep the same logical ids.
 */
export function scheduleJobs(
  stack: Stack,
  jobs: lambda.IFunction,
  schedules: readonly JobSchedule[],
  alarms: OperationsAlarms,
): sqs.Queue {
  const deadLetters = new sqs.Queue(stack, 'SchedulerDeadLetters', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter queue of the Scheduler targets and the on-failure destination of the jobs function.',
  });
  alarms.watchDeadLetters('scheduler', deadLetters);
  jobs.configureAsyncInvoke({
    onFailure: new SqsDestination(deadLetters),
    // Every job is idempotent for its day (scheduledAt), so a retry repeats nothing already done.
    retryAttempts: 2,
    maxEventAge: Duration.hours(2),
  });
  for (const s of schedules) {
    new scheduler.Schedule(stack, `schedule-${s.job}`, {
      description: s.what,
      schedule: scheduler.ScheduleExpression.cron({ ...s.cron, timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new targets.LambdaInvoke(jobs, {
        input: scheduler.ScheduleTargetInput.fromObject({
          job: s.job,
          // The day the run is for comes from the scheduled time, so a retried run does the same day.
          scheduledAt: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: deadLetters,
      }),
    });
  }
  const schedulerRole = stack.node.children.find((c) => c.node.id.startsWith('SchedulerRoleForTarget'));
  if (schedulerRole) {
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(jobs.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'The Scheduler target role may invoke the jobs function and its versions, nothing else.',
    });
  }
  return deadLetters;
}
