import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SMS_WITHHELD_METRICS } from '../../shared/notify/sms-spend.ts';
import { METRICS_NAMESPACE, type ServiceFunction } from './service-function.ts';

export interface OperationsAlarmsProps {
  /** Where alarms are e-mailed, if anywhere. */
  alarmEmail?: string | undefined;
}

/**
 * The alarms operators act on, all sent to one topic: the 5xx rate of the API (and of the public
 * function's URL, where it serves the reads), per-function errors and throttles, any message in a dead-letter queue, the month's SMS spend, and SMS withheld by the budget.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    // CloudWatch cannot publish with the AWS-managed SNS key, so the alarm topic has its own.
    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the yimei-credit alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'yimei-credit alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.topic);
  }

  /** Any error or throttle of the function within 5 minutes. */
  watchFunction(name: string, fn: ServiceFunction): void {
    this.alarm(`${name}Errors`, fn.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      threshold: 1,
      description: `${name}: invocations failed`,
    });
    this.alarm(`${name}Throttles`, fn.fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), {
      threshold: 1,
      description: `${name}: invocations throttled`,
    });
  }

  /** Share of the HTTP API's answers that are 5xx (see `serverErrorRate`). */
  watchApi(api: apigwv2.HttpApi): void {
    this.serverErrorRate(
      'Api5xxRate',
      api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      api.metricCount({ period: Duration.minutes(5), statistic: 'Sum' }),
      'HTTP API: more than 1% of answers are 5xx',
    );
  }

  /** The same 5xx rate for a REST API (China profile). */
  watchRestApi(api: apigw.RestApi): void {
    this.serverErrorRate(
      'Api5xxRate',
      api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      api.metricCount({ period: Duration.minutes(5), statistic: 'Sum' }),
      'REST API: more than 1% of answers are 5xx',
    );
  }

  /** The same 5xx rate for what a function answers through its URL (the public reads, with a domain). */
  watchFunctionUrl(name: string, fn: ServiceFunction): void {
    const sum = (metricName: string) =>
      fn.fn.metric(metricName, { period: Duration.minutes(5), statistic: 'Sum' });
    this.serverErrorRate(
      `${name}Url5xxRate`,
      sum('Url5xxCount'),
      sum('UrlRequestCount'),
      `${name} function URL: more than 1% of answers are 5xx`,
    );
  }

  /** Share of 5xx answers above 1% over 5 minutes, once there is enough traffic to mean something. */
  private serverErrorRate(
    id: string,
    errors: cloudwatch.IMetric,
    requests: cloudwatch.IMetric,
    description: string,
  ): void {
    const rate = new cloudwatch.MathExpression({
      expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
      usingMetrics: { errors, requests },
      period: Duration.minutes(5),
      label: '5xx rate (%)',
    });
    this.alarm(id, rate, { threshold: 1, description });
  }

  /** A message in a dead-letter queue is work that failed for good: someone must look at it. */
  watchDeadLetters(name: string, queue: sqs.IQueue): void {
    this.alarm(
      `${name}DeadLetters`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      { threshold: 1, description: `${name}: messages in the dead-letter queue` },
    );
  }

  /** SMS spend this month, published by SNS in the service's region. */
  watchSmsSpend(budgetUsd: number): void {
    const spend = new cloudwatch.Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      period: Duration.hours(1),
      statistic: 'Maximum',
    });
    this.alarm('SmsSpend', spend, {
      threshold: budgetUsd * 0.8,
      description: `SMS spend this month has reached 80% of the ${budgetUsd} USD budget`,
    });
  }

  /**
   * The sender's own count of SMS withheld because the month's budget is spent (SMS_MONTHLY_LIMIT):
   * sending has stopped, in either profile, whatever the gateway reports.
   */
  watchSmsWithheld(service: string, monthlyLimit: number): void {
    const withheld = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: SMS_WITHHELD_METRICS.monthly_budget,
      dimensionsMap: { service },
      period: Duration.hours(1),
      statistic: 'Sum',
    });
    this.alarm('SmsBudgetStop', withheld, {
      threshold: 1,
      description: `SMS sending has stopped: the monthly budget of ${monthlyLimit} SMS is spent`,
    });
  }

  /**
   * The daily calendar-coverage job's count when the working-day calendar reaches fewer than 60 days
   * ahead: next year's official schedule must be added (docs/calendar.md) before publicity is refused.
   */
  watchCalendarCoverage(service: string): void {
    const short = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'CalendarCoverageShort',
      dimensionsMap: { service },
      period: Duration.days(1),
      statistic: 'Sum',
    });
    this.alarm('CalendarCoverageShort', short, {
      threshold: 1,
      description:
        "The working-day calendar covers fewer than 60 days ahead: add next year's official holiday file (docs/calendar.md)",
    });
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    opts: { threshold: number; description: string },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: opts.threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: opts.description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}
