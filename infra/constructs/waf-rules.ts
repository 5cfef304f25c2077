import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Paths that carry a bearer token: only the overall limit applies to them. */
export const AUTHENTICATED_PATH_PREFIX = '/v1/admin/';

export interface WebAclProps {
  /** CLOUDFRONT (global profile, us-east-1) or REGIONAL (China profile, attached to the API stage). */
  scope: 'CLOUDFRONT' | 'REGIONAL';
  /** Requests per IP per 5 minutes on the public (unauthenticated) paths. */
  publicRateLimit: number;
  /** Requests per IP per 5 minutes on every path, authenticated ones included. */
  overallRateLimit: number;
}

const visibility = (name: string) => ({
  cloudWatchMetricsEnabled: true,
  metricName: name,
  sampledRequestsEnabled: true,
});

/**
 * The service's web ACL, the same rules in both profiles: a fair-use rate limit per IP on the public
 * paths, an overall one on every path, and AWS's common rule set (available in the China regions too).
 */
export function newWebAcl(scope: Construct, id: string, props: WebAclProps): wafv2.CfnWebACL {
  const block429 = { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany' } } };
  return new wafv2.CfnWebACL(scope, id, {
    scope: props.scope,
    defaultAction: { allow: {} },
    visibilityConfig: visibility('yimei-credit'),
    customResponseBodies: {
      tooMany: {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({
          type: 'https://credit.hangzhou.invalid/problems/rate-limited',
          title: 'Too many requests',
          status: 429,
          detail: '请求过于频繁，请稍后再试 (fair-use limit per IP address)',
        }),
      },
    },
    rules: [
      {
        name: 'PublicRatePerIp',
        priority: 0,
        action: block429,
        visibilityConfig: visibility('public-rate-per-ip'),
        statement: {
          rateBasedStatement: {
            limit: props.publicRateLimit,
            evaluationWindowSec: 300,
            aggregateKeyType: 'IP',
            scopeDownStatement: {
              notStatement: {
                statement: {
                  byteMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    positionalConstraint: 'STARTS_WITH',
                    searchString: AUTHENTICATED_PATH_PREFIX,
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
              },
            },
          },
        },
      },
      {
        name: 'OverallRatePerIp',
        priority: 1,
        action: block429,
        visibilityConfig: visibility('overall-rate-per-ip'),
        statement: {
          rateBasedStatement: {
            limit: props.overallRateLimit,
            evaluationWindowSec: 300,
            aggregateKeyType: 'IP',
          },
        },
      },
      {
        name: 'AwsCommonRuleSet',
        priority: 2,
        overrideAction: { none: {} },
        visibilityConfig: visibility('aws-common-rule-set'),
        statement: {
          managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
        },
      },
    ],
  });
}

/** China's Cybersecurity Law asks for network logs kept at least six months; every profile keeps them so. */
export const LOG_RETENTION = logs.RetentionDays.SIX_MONTHS;

/**
 * WAF request logs in CloudWatch Logs, kept LOG_RETENTION. The bearer token is redacted: a log reader
 * must not be able to replay a caller's session.
 */
export class WebAclLogs extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: { webAcl: wafv2.CfnWebACL; name: string }) {
    super(scope, id);
    // WAF only writes to log groups whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${props.name}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stack = Stack.of(this);
    const config = new wafv2.CfnLoggingConfiguration(this, 'Config', {
      resourceArn: props.webAcl.attrArn,
      // WAF wants the log group's ARN without the trailing `:*` that logGroupArn carries.
      logDestinationConfigs: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
    config.node.addDependency(this.logGroup);
  }
}
