import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { Job, JobReport } from '../jobs/job.ts';
import { CHANNELS, type Channel } from './message.ts';

/** The on-demand job that moves dead-lettered notices back to their queues (`{"job": "dead-letters"}`). */
export const DEAD_LETTERS_JOB = 'dead-letters';

/** A dead-letter queue and the queue its messages came from. */
export interface DeadLetterRoute {
  name: string;
  from: string;
  to: string;
}

/** What one move did: messages put back on the source queue, and what stayed behind. */
export interface MoveReport {
  name: string;
  moved: number;
  /** Sends the source queue refused: the messages stay in the dead-letter queue for the next move. */
  failed: number;
  /** Moved, but not deleted from the dead-letter queue: a later move sends them again (the senders drop repeats). */
  undeleted: number;
  /** The run stopped at its limit with messages possibly left: run it again. */
  more: boolean;
}

/**
 * While a move runs, the messages it received stay invisible this long, so each is handled once per
 * run even when a send fails, and two moves at once never take the same message.
 */
const VISIBILITY_SECONDS = 300;
/** Messages one run moves per queue at most: well inside the jobs function's 300-second timeout. */
export const MOVE_LIMIT = 2000;

/**
 * Moves messages from a dead-letter queue back to the queue they came from, ten at a time: send
 * first, delete after, so a crash between the two repeats a message and never loses one. The SQS
 * redrive API (StartMessageMoveTask) does the same in the global regions but is not offered in the
 * China regions; this works in both. A notice repeated this way is still sent once: the senders claim
 * each notice in the table before sending and drop one already settled (docs/notices.md).
 */
export async function moveDeadLetters(
  sqs: SQSClient,
  route: DeadLetterRoute,
  limit = MOVE_LIMIT,
): Promise<MoveReport> {
  const report: MoveReport = { name: route.name, moved: 0, failed: 0, undeleted: 0, more: false };
  while (report.moved + report.failed < limit) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: route.from,
        MaxNumberOfMessages: Math.min(10, limit - report.moved - report.failed),
        // A short wait asks every SQS server, so an empty answer means an empty queue.
        WaitTimeSeconds: 1,
        VisibilityTimeout: VISIBILITY_SECONDS,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = (received.Messages ?? []).filter(
      (m): m is Message & { Body: string; ReceiptHandle: string } =>
        m.Body !== undefined && m.ReceiptHandle !== undefined,
    );
    if (messages.length === 0) return report;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: route.to,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body,
          ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
        })),
      }),
    );
    const ok = (sent.Successful ?? []).map((s) => messages[Number(s.Id)]).filter((m) => m !== undefined);
    report.moved += ok.length;
    report.failed += messages.length - ok.length;
    if (ok.length === 0) continue;
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: route.from,
        Entries: ok.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    report.undeleted += deleted.Failed?.length ?? 0;
  }
  report.more = true;
  return report;
}

const QueueUrl = z.url().startsWith('https://');

/** Each channel's dead-letter queue and notice queue, as the stacks give them to the jobs function. */
const variables = (channel: Channel) => {
  const upper = channel.toUpperCase();
  return { from: `${upper}_DEAD_LETTER_QUEUE_URL`, to: `${upper}_NOTICE_QUEUE_URL` } as const;
};

/**
 * The notice channels' routes from the environment (`WECHAT_DEAD_LETTER_QUEUE_URL`,
 * `WECHAT_NOTICE_QUEUE_URL`, the same for SMS). Read when the job runs, not at cold start: the other
 * jobs do not need them. A channel with neither variable is skipped; one with only one is an error.
 */
export function deadLetterRoutes(env: Record<string, string | undefined>): DeadLetterRoute[] {
  const routes: DeadLetterRoute[] = [];
  const problems: string[] = [];
  for (const channel of CHANNELS) {
    const names = variables(channel);
    const from = env[names.from];
    const to = env[names.to];
    if (from === undefined && to === undefined) continue;
    for (const [name, value] of [
      [names.from, from],
      [names.to, to],
    ] as const) {
      if (!QueueUrl.safeParse(value).success) problems.push(`${name}: must be a queue URL (https://…)`);
    }
    if (from && to) routes.push({ name: `${channel}-notices`, from, to });
  }
  if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join('; ')}`);
  return routes;
}

/**
 * `dead-letters`: every notice channel's dead-letter queue moved back to its queue. On demand only,
 * never scheduled: a notice that fails for good (a template not registered yet) would otherwise go
 * round the queues for ever; an operator runs it once the cause is fixed (docs/operations.md).
 */
export function deadLettersJob(sqs: SQSClient, env: Record<string, string | undefined>): Job {
  return {
    name: DEAD_LETTERS_JOB,
    async run(date): Promise<JobReport> {
      const queues: MoveReport[] = [];
      for (const route of deadLetterRoutes(env)) queues.push(await moveDeadLetters(sqs, route));
      const failed = queues
        .filter((q) => q.failed > 0)
        .map((q) => ({ id: q.name, reason: `${q.failed} not sent` }));
      return { job: DEAD_LETTERS_JOB, date, queues, failed };
    },
  };
}
