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
  /** Routes with a body limit of their own (the rest keep the common rule set's 8 KB). */
  bodyCaps: readonly BodyCap[];
}

/** A route's own body limit, as the app enforces it (413 there too). */
export interface BodyCap {
  /** Names the WAF rule: `<name>BodyCap`. */
  name: string;
  /** The API route, `{param}` standing for one path segment and `{proxy+}` for the rest of the path. */
  route: string;
  maxBytes: number;
  /** Routes under `route` that carry a cap of their own. */
  except?: readonly string[];
}

/** What the common rule set's SizeRestrictions_BODY allows: a bigger route is exempted from it. */
export const COMMON_RULE_SET_BODY_BYTES = 8 * 1024;
/**
 * How much of a body WAF reads (the default for CloudFront and API Gateway, not raised: each further
 * 16 KB is charged). A cap below it is checked on the body itself, oversize counting as a match.
 */
export const BODY_INSPECTION_BYTES = 16 * 1024;
/** The label SizeRestrictions_BODY leaves when it only counts. */
export const OVERSIZE_BODY_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/**
 * A regular expression (WAF's PCRE subset: no capturing groups) matching exactly the decimal integers
 * greater than `n`: a declared Content-Length over a cap is refused whatever size WAF can inspect.
 */
export function integerAbovePattern(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a byte count: ${n}`);
  const digits = String(n);
  const longer = `[1-9][0-9]{${digits.length},}`;
  const sameLength = [...digits].flatMap((d, i) => {
    if (d === '9') return [];
    const rest = digits.length - i - 1;
    const next = Number(d) + 1;
    const digit = next === 9 ? '9' : `[${next}-9]`;
    return [`${digits.slice(0, i)}${digit}${rest > 0 ? `[0-9]{${rest}}` : ''}`];
  });
  return `^0*(?:${[longer, ...sameLength].join('|')})$`;
}

type Statement = wafv2.CfnWebACL.StatementProperty;

const anyOf = (statements: Statement[]): Statement =>
  statements.length === 1 ? (statements[0] as Statement) : { orStatement: { statements } };

/** The request's path is the route's (a `{param}` matches one segment). */
export function routeStatement(route: string): Statement {
  const none = [{ priority: 0, type: 'NONE' }];
  if (!route.includes('{')) {
    return {
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'EXACTLY',
        searchString: route,
        textTransformations: none,
      },
    };
  }
  const pattern = route
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part.startsWith('{')
        ? part.endsWith('+}')
          ? '.+'
          : '[^/]+'
        : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return {
    regexMatchStatement: {
      fieldToMatch: { uriPath: {} },
      regexString: `^${pattern}$`,
      textTransformations: none,
    },
  };
}

/** The route's body is over its cap: by the declared length, and by the body itself where WAF sees it all. */
function overCapStatement(cap: BodyCap): Statement {
  const none = [{ priority: 0, type: 'NONE' }];
  const declared: Statement = {
    regexMatchStatement: {
      fieldToMatch: { singleHeader: { Name: 'content-length' } },
      regexString: integerAbovePattern(cap.maxBytes),
      textTransformations: none,
    },
  };
  const measured: Statement[] =
    cap.maxBytes < BODY_INSPECTION_BYTES
      ? [
          {
            sizeConstraintStatement: {
              // A body past what WAF reads is past the cap too.
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: cap.maxBytes,
              textTransformations: none,
            },
          },
        ]
      : [];
  const route = cap.except?.length
    ? [routeStatement(cap.route), { notStatement: { statement: anyOf(cap.except.map(routeStatement)) } }]
    : [routeStatement(cap.route)];
  return { andStatement: { statements: [...route, anyOf([declared, ...measured])] } };
}

const visibility = (name: string) => ({
  cloudWatchMetricsEnabled: true,
  metricName: name,
  sampledRequestsEnabled: true,
});

/**
 * The service's web ACL, the same rules in both profiles: a fair-use rate limit per IP on the public
 * paths, an overall one on every path, each capped route's own body limit, and AWS's common rule set
 * (available in the China regions too) with its 8 KB body limit kept for every other route.
 */
export function newWebAcl(scope: Construct, id: string, props: WebAclProps): wafv2.CfnWebACL {
  const block429 = { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany' } } };
  const block413 = { block: { customResponse: { responseCode: 413, customResponseBodyKey: 'tooLarge' } } };
  const exempt = props.bodyCaps.filter((c) => c.maxBytes > COMMON_RULE_SET_BODY_BYTES);
  const capRules = props.bodyCaps.map((cap, i) => ({
    name: `${cap.name}BodyCap`,
    priority: 2 + i,
    action: block413,
    visibilityConfig: visibility(`${cap.name.toLowerCase()}-body-cap`),
    statement: overCapStatement(cap),
  }));
  const next = 2 + capRules.length;
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
      tooLarge: {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({
          type: 'https://credit.hangzhou.invalid/problems/payload-too-large',
          title: 'Payload too large',
          status: 413,
          detail: '请求体过大 (the request body is larger than this route accepts)',
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
      ...capRules,
      {
        name: 'AwsCommonRuleSet',
        priority: next,
        overrideAction: { none: {} },
        visibilityConfig: visibility('aws-common-rule-set'),
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: 'AWSManagedRulesCommonRuleSet',
            // Its 8 KB body limit only labels here: the next rule applies it to every other route.
            ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
          },
        },
      },
      {
        name: 'BodyOverCommonLimit',
        priority: next + 1,
        action: block413,
        visibilityConfig: visibility('body-over-common-limit'),
        statement: {
          andStatement: {
            statements: [
              { labelMatchStatement: { scope: 'LABEL', key: OVERSIZE_BODY_LABEL } },
              { notStatement: { statement: anyOf(exempt.map((c) => routeStatement(c.route))) } },
            ],
          },
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
