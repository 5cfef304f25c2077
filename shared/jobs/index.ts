import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import { buildFeedRelayJob } from './feed-relay.ts';
import type { Job } from './job.ts';

export interface JobDeps {
  config: Config;
  db: DynamoDBDocumentClient;
  clock: Clock;
  calendar: WorkingDayCalendar;
  /** Local only: where the notice sink writes. */
  dataDir?: string;
}

/** Every scheduled job, by name. */
export function buildJobs(deps: JobDeps): Job[] {
  return [buildFeedRelayJob(deps)];
}
