import type { Route } from './templates.ts';

const CLIENT = '203.0.113.9';

/** An HTTP API (v2) event, as API Gateway sends it, or a function URL's (the same payload format 2.0). */
export function v2Event(
  route: Route,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const domain = route.via === 'function-url' ? 'abc.lambda-url.smoke.on.aws' : 'api.smoke.invalid';
  const routeKey = route.via === 'function-url' ? '$default' : route.key;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { host: domain, 'x-forwarded-for': CLIENT, 'x-forwarded-proto': 'https', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'smoke',
      domainName: domain,
      domainPrefix: domain.split('.')[0],
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: CLIENT, userAgent: 'smoke' },
      requestId: crypto.randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

/** A REST API (v1) proxy event, as API Gateway sends it for a resource and method. */
export function v1Event(
  route: Route,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const all = {
    host: 'credit.smoke.invalid',
    'X-Forwarded-For': CLIENT,
    'X-Forwarded-Proto': 'https',
    ...headers,
  };
  return {
    resource: route.path,
    path,
    httpMethod: method,
    headers: all,
    multiValueHeaders: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'smoke',
      httpMethod: method,
      identity: { sourceIp: CLIENT, userAgent: 'smoke' },
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: crypto.randomUUID(),
      resourcePath: route.path,
      stage: 'prod',
    },
    body: body ?? null,
    isBase64Encoded: false,
  };
}

/** An SQS batch of notices, as the event source mapping hands it to a sender. */
export function sqsEvent(region: string, notices: { message: string; attributes: Record<string, string> }[]) {
  return {
    Records: notices.map((n, i) => ({
      messageId: `smoke-${i}`,
      receiptHandle: `smoke-${i}`,
      body: n.message,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      messageAttributes: Object.fromEntries(
        Object.entries(n.attributes).map(([k, v]) => [k, { stringValue: v, dataType: 'String' }]),
      ),
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:smoke',
      awsRegion: region,
    })),
  };
}
