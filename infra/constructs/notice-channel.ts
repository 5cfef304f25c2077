import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function.ts';

export interface NoticeChannelProps {
  /** The value of the `channel` message attribute this channel takes. */
  channel: 'wechat' | 'sms';
  topic: sns.ITopic;
  sender: ServiceFunction;
  /** Deliveries attempted before a notice goes to the dead-letter queue. */
  maxReceiveCount?: number;
}

/**
 * One delivery channel: the notice topic's messages whose `channel` attribute names it land in a
 * queue (with a dead-letter queue, also the subscription's redrive target), which its sender reads in batches and reports failed items
 * individually, so one bad notice does not hold back or re-send the rest of the batch.
 */
export class NoticeChannel extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  private readonly channel: NoticeChannelProps['channel'];

  constructor(scope: Construct, id: string, props: NoticeChannelProps) {
    super(scope, id);
    this.channel = props.channel;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Lambda's guidance: visibility at least six times the function timeout, so a message is not
    // redelivered while a throttled batch is still being retried.
    const timeout = props.sender.fn.timeout ?? Duration.seconds(30);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    props.topic.addSubscription(
      new SqsSubscription(this.queue, {
        // Raw delivery: the queue body is the notice itself, and `channel`/`kind` arrive as SQS
        // message attributes.
        rawMessageDelivery: true,
        // What SNS cannot deliver to the queue (queue gone, key refused) is kept, not dropped.
        deadLetterQueue: this.deadLetterQueue,
        filterPolicy: { channel: sns.SubscriptionFilter.stringFilter({ allowlist: [props.channel] }) },
      }),
    );
    props.sender.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        // The providers rate-limit per account: a few concurrent senders are plenty and spare them.
        maxConcurrency: 2,
      }),
    );
  }

  /**
   * Lets `mover` (the jobs function's `dead-letters` job) take messages off the dead-letter queue and
   * put them back on the queue: receive and delete there, send here, nothing else (no purge, no
   * redrive API, which the China regions do not offer). The queue URLs reach it as
   * `<CHANNEL>_DEAD_LETTER_QUEUE_URL` and `<CHANNEL>_NOTICE_QUEUE_URL`.
   */
  allowDeadLetterMove(mover: ServiceFunction): void {
    const upper = this.channel.toUpperCase();
    mover.fn.addEnvironment(`${upper}_DEAD_LETTER_QUEUE_URL`, this.deadLetterQueue.queueUrl);
    mover.fn.addEnvironment(`${upper}_NOTICE_QUEUE_URL`, this.queue.queueUrl);
    mover.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );
    mover.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
  }
}
