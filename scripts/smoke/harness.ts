import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ORIGIN_VERIFY_HEADER } from '#shared/http/origin-verify.ts';
import type { startFakeAws } from './fake-aws.ts';

/** A synthesised profile as the deploy would upload it: its templates and the cloud assembly's assets. */
export interface Synthesised {
  profile: 'global' | 'china';
  region: string;
  /** Stack name → template. */
  templates: Record<string, Template>;
  /** The cloud assembly directory (cdk.out), which holds `asset.<hash>/index.mjs`. */
  assemblyDir: string;
}

type Json = Record<string, unknown>;
export interface Template {
  Resources: Record<string, { Type: string; Properties?: Json }>;
}

/** An OpenAPI operation, with the path values that exist in the local table. */
export interface Operation {
  method: string;
  path: string;
  secured: boolean;
}

/** What each request carries: ids that exist, a token per role. */
export interface Fixtures {
  pathValues: Record<string, string>;
  tableName: string;
  dynamoEndpoint: string;
  fake: Awaited<ReturnType<typeof startFakeAws>>;
  secretValues: { cursor: string; originVerify: string };
}

export interface Check {
  profile: string;
  what: string;
  ok: boolean;
  detail?: string;
}

const LOCAL_ISSUER = 'https://idp.smoke.invalid';
const LOCAL_AUDIENCE = 'smoke-audience';

/** The function a template's intrinsic names (`Fn::GetAtt [fn, Arn]`, possibly inside a `Fn::Join`). */
function functionIdIn(value: unknown): string | undefined {
  const json = JSON.stringify(value ?? null);
  return /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(json)?.[1];
}

/** The execution environments of a profile: one worker per function, loaded lazily. */
class Runtime {
  private readonly workers = new Map<string, { worker: Worker; ready: Promise<void> }>();
  private seq = 0;
  constructor(
    private readonly syn: Synthesised,
    private readonly fx: Fixtures,
    private readonly resources: Record<string, { Type: string; Properties?: Json }>,
  ) {}

  /** The service name of a function (its POWERTOOLS_SERVICE_NAME). */
  serviceOf(fnId: string): string {
    const env = this.templateEnv(fnId);
    return String(env.POWERTOOLS_SERVICE_NAME ?? fnId);
  }

  templateEnv(fnId: string): Json {
    const props = this.resources[fnId]?.Properties ?? {};
    return ((props.Environment as Json | undefined)?.Variables ?? {}) as Json;
  }

  /**
   * The environment the template gives the function, with what only exists in AWS substituted: the table,
   * secrets and topics by local names, the identity provider by the local issuer, and the endpoints of the
   * local stand-ins. A variable the template lacks stays missing.
   */
  environment(fnId: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.templateEnv(fnId))) {
      env[name] = typeof value === 'string' ? value : localValue(name, this.fx);
    }
    if ('JWT_ISSUER' in env) env.JWT_ISSUER = LOCAL_ISSUER;
    if ('JWT_AUDIENCE' in env) env.JWT_AUDIENCE = LOCAL_AUDIENCE;
    if ('JWT_JWKS_URL' in env) env.JWT_JWKS_URL = `${this.fx.fake.url}/jwks`;
    if ('TABLE_NAME' in env) env.TABLE_NAME = this.fx.tableName;
    return {
      ...env,
      // What the Lambda runtime sets, and the local endpoints of the services the functions call.
      AWS_REGION: this.syn.region,
      AWS_ACCESS_KEY_ID: 'smoke',
      AWS_SECRET_ACCESS_KEY: 'smoke',
      AWS_LAMBDA_FUNCTION_NAME: this.serviceOf(fnId),
      AWS_ENDPOINT_URL_DYNAMODB: this.fx.dynamoEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.fx.fake.url,
      AWS_ENDPOINT_URL_SNS: this.fx.fake.url,
      AWS_ENDPOINT_URL_S3: this.fx.fake.url,
      WECHAT_API_BASE: this.fx.fake.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
  }

  /** The bundle the template deploys for the function (`asset.<hash>/index.mjs` of its S3 key). */
  assetFile(fnId: string): string {
    const code = (this.resources[fnId]?.Properties?.Code ?? {}) as Json;
    const hash = String(code.S3Key ?? '').replace(/\.zip$/, '');
    return join(this.syn.assemblyDir, `asset.${hash}`, 'index.mjs');
  }

  async invoke(fnId: string, event: unknown): Promise<{ ok: boolean; result?: unknown; error?: string }> {
    let entry = this.workers.get(fnId);
    if (!entry) {
      const file = this.assetFile(fnId);
      if (!existsSync(file)) return { ok: false, error: `no bundle at ${file}` };
      const worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
        workerData: { file, name: this.serviceOf(fnId) },
        env: this.environment(fnId),
        stdout: true,
        stderr: true,
      });
      worker.stdout.resume();
      worker.stderr.resume();
      const ready = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      entry = { worker, ready };
      this.workers.set(fnId, entry);
    }
    await entry.ready;
    const id = ++this.seq;
    const { worker } = entry;
    return new Promise((resolve) => {
      const onMessage = (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
        if (m.id !== id) return;
        worker.off('message', onMessage);
        resolve(m);
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, event });
    });
  }

  async close() {
    await Promise.all([...this.workers.values()].map(({ worker }) => worker.terminate()));
  }
}

function localValue(name: string, fx: Fixtures): string {
  if (name === 'CURSOR_SECRET_ARN') return 'smoke-cursor-secret';
  if (name === 'ORIGIN_VERIFY_SECRET_ARN') return 'smoke-origin-verify';
  if (name.endsWith('_SECRET_ARN')) return `smoke-${name.toLowerCase()}`;
  if (name.endsWith('_TOPIC_ARN')) return `arn:aws:sns:us-east-1:000000000000:smoke-${name.toLowerCase()}`;
  if (name.endsWith('_BUCKET')) return 'smoke-exports';
  if (name === 'PUBLIC_BASE_URL') return 'https://credit.smoke.invalid';
  return `smoke-${name.toLowerCase()}-${fx.tableName}`;
}

/** A route of a front door: how a request reaches a function, and what the gateway asks of it. */
interface Route {
  via: 'http-api' | 'rest-api' | 'function-url';
  key: string;
  method: string;
  path: string;
  fnId: string;
  gatewayAuth: boolean;
}

/** The HTTP API's route table, the REST API's resource tree and the function URL, as the templates hold them. */
export function routesOf(templates: Record<string, Template>): Route[] {
  const resources = Object.assign(
    {},
    ...Object.values(templates).map((t) => t.Resources),
  ) as Template['Resources'];
  const routes: Route[] = [];
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  for (const [, r] of of('AWS::ApiGatewayV2::Route')) {
    const p = r.Properties ?? {};
    const integrationId = /"Ref":"([^"]+)"/.exec(JSON.stringify(p.Target))?.[1] ?? '';
    const fnId = functionIdIn(resources[integrationId]?.Properties?.IntegrationUri) ?? '';
    const key = String(p.RouteKey);
    const [method, path] = key === '$default' ? ['ANY', '$default'] : (key.split(' ') as [string, string]);
    routes.push({ via: 'http-api', key, method, path, fnId, gatewayAuth: p.AuthorizationType === 'JWT' });
  }
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const r = resources[id];
    if (r?.Type !== 'AWS::ApiGateway::Resource') return '';
    const parent = /"Ref":"([^"]+)"/.exec(JSON.stringify(r.Properties?.ParentId))?.[1];
    const path = `${parent ? pathOf(parent) : ''}/${r.Properties?.PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const [, r] of of('AWS::ApiGateway::Method')) {
    const p = r.Properties ?? {};
    const resourceId = /"Ref":"([^"]+)"/.exec(JSON.stringify(p.ResourceId))?.[1];
    const path = resourceId ? pathOf(resourceId) : '/';
    const fnId = functionIdIn((p.Integration as Json | undefined)?.Uri) ?? '';
    const method = String(p.HttpMethod);
    routes.push({
      via: 'rest-api',
      key: `${method} ${path || '/'}`,
      method,
      path: path || '/',
      fnId,
      gatewayAuth: p.AuthorizationType !== 'NONE',
    });
  }
  for (const [, r] of of('AWS::Lambda::Url')) {
    const fnId = functionIdIn(r.Properties?.TargetFunctionArn) ?? '';
    routes.push({
      via: 'function-url',
      key: 'function URL',
      method: 'ANY',
      path: '$default',
      fnId,
      gatewayAuth: false,
    });
  }
  return routes;
}

/** CloudFront's path patterns that go to the API (not the function URL), from the distribution. */
function apiPatterns(templates: Record<string, Template>): string[] | undefined {
  return behaviours(templates)?.api;
}

/** The bucket-served path patterns of the distribution. */
function bucketPatterns(templates: Record<string, Template>): string[] {
  return behaviours(templates)?.bucket ?? [];
}

function behaviours(templates: Record<string, Template>): { api: string[]; bucket: string[] } | undefined {
  for (const t of Object.values(templates)) {
    for (const r of Object.values(t.Resources)) {
      if (r.Type !== 'AWS::CloudFront::Distribution') continue;
      const config = (r.Properties?.DistributionConfig ?? {}) as Json;
      const s3 = new Set(
        ((config.Origins ?? []) as Json[])
          .filter((o) => o.S3OriginConfig !== undefined)
          .map((o) => String(o.Id)),
      );
      // A behaviour whose origin is a bucket (the grades CSV) never reaches a function.
      const all = (config.CacheBehaviors ?? []) as Json[];
      return {
        api: all.filter((b) => !s3.has(String(b.TargetOriginId))).map((b) => String(b.PathPattern)),
        bucket: all.filter((b) => s3.has(String(b.TargetOriginId))).map((b) => String(b.PathPattern)),
      };
    }
  }
  return undefined;
}

const segments = (p: string) => p.split('/').filter((s) => s !== '');

/** How API Gateway picks a route: literal segments before `{param}`, then the longest `{proxy+}`. */
function score(routePath: string, path: string): number | null {
  const r = segments(routePath);
  const p = segments(path);
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    const seg = r[i] as string;
    if (seg.endsWith('+}')) return p.length > i ? s * 10 + 1 : null;
    if (i >= p.length) return null;
    if (seg.startsWith('{')) s = s * 10 + 2;
    else if (seg === p[i]) s = s * 10 + 3;
    else return null;
  }
  return r.length === p.length ? s * 10 + 9 : null;
}

function matchRoute(routes: Route[], via: Route['via'], method: string, path: string): Route | undefined {
  let best: Route | undefined;
  let bestScore = -1;
  for (const r of routes.filter((r) => r.via === via)) {
    if (r.method !== 'ANY' && r.method !== method) continue;
    if (r.path === '$default') continue;
    const s = score(r.path, path);
    if (s !== null && (s > bestScore || (s === bestScore && r.method !== 'ANY'))) {
      best = r;
      bestScore = s;
    }
  }
  return best ?? routes.find((r) => r.via === via && r.path === '$default');
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** A concrete path for an operation or route path: its parameters from the fixtures. */
function concrete(path: string, fx: Fixtures): string {
  return path
    .replace(/\{proxy\+\}/g, 'x')
    .replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(fx.pathValues[name] ?? 'x'));
}

interface HttpAnswer {
  statusCode: number;
  body: string;
}

function answerOf(result: unknown): HttpAnswer {
  const r = (result ?? {}) as { statusCode?: number; body?: string; isBase64Encoded?: boolean };
  const body = r.isBase64Encoded ? Buffer.from(r.body ?? '', 'base64').toString() : String(r.body ?? '');
  return { statusCode: Number(r.statusCode ?? 0), body };
}

/** The app's own answer for a path or method it has no route for. */
function unrouted(a: HttpAnswer): boolean {
  return (a.statusCode === 404 && a.body.includes('no resource at')) || a.statusCode === 405;
}

/** An HTTP API (v2) event, as API Gateway sends it, or a function URL's (the same payload format 2.0). */
function v2Event(route: Route, method: string, path: string, headers: Record<string, string>, body?: string) {
  const domain = route.via === 'function-url' ? 'abc.lambda-url.smoke.on.aws' : 'api.smoke.invalid';
  return {
    version: '2.0',
    routeKey: route.via === 'function-url' ? '$default' : route.key,
    rawPath: path,
    rawQueryString: '',
    headers: { host: domain, 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'smoke',
      domainName: domain,
      domainPrefix: domain.split('.')[0],
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'smoke' },
      requestId: crypto.randomUUID(),
      routeKey: route.via === 'function-url' ? '$default' : route.key,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

/** A REST API (v1) proxy event, as API Gateway sends it for a resource and method. */
function v1Event(route: Route, method: string, path: string, headers: Record<string, string>, body?: string) {
  const all = {
    host: 'credit.smoke.invalid',
    'X-Forwarded-For': '203.0.113.9',
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
      identity: { sourceIp: '203.0.113.9', userAgent: 'smoke' },
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

/**
 * Drives one synthesised profile: every OpenAPI operation through the front door the templates build (to
 * the function its route names, with the event that front door sends), every route of the templates,
 * every schedule's input, and an SQS batch of what was published for each sender.
 */
export async function smokeProfile(
  syn: Synthesised,
  fx: Fixtures,
): Promise<{ checks: Check[]; operations: number }> {
  const resources = Object.assign(
    {},
    ...Object.values(syn.templates).map((t) => t.Resources),
  ) as Template['Resources'];
  const runtime = new Runtime(syn, fx, resources);
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, detail?: string) =>
    checks.push({ profile: syn.profile, what, ok, ...(detail && !ok ? { detail } : {}) });
  const routes = routesOf(syn.templates);
  const patterns = apiPatterns(syn.templates);
  const hasFunctionUrl = routes.some((r) => r.via === 'function-url');
  const origin: Record<string, string> =
    syn.profile === 'global' ? { [ORIGIN_VERIFY_HEADER]: fx.secretValues.originVerify } : {};
  const tokens = new Map<string, string>();
  const tokenFor = async (fnId: string) => {
    const claim = String(runtime.templateEnv(fnId).JWT_GROUPS_CLAIM ?? 'cognito:groups');
    let token = tokens.get(claim);
    if (!token) {
      token = await fx.fake.token({
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        groupsClaim: claim,
        role: 'city',
      });
      tokens.set(claim, token);
    }
    return token;
  };

  /** The front-door route a request takes, as CloudFront and the API decide it. */
  const routeFor = (method: string, path: string): Route | undefined => {
    if (syn.profile === 'china') return matchRoute(routes, 'rest-api', method, path);
    const toApi = !hasFunctionUrl || (patterns ?? []).some((p) => glob(p).test(path));
    return toApi
      ? matchRoute(routes, 'http-api', method, path)
      : routes.find((r) => r.via === 'function-url');
  };

  const send = async (route: Route, method: string, path: string, withToken: boolean) => {
    const headers: Record<string, string> = { accept: 'application/json', ...origin };
    if (withToken) headers.authorization = `Bearer ${await tokenFor(route.fnId)}`;
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const event =
      route.via === 'rest-api'
        ? v1Event(route, method, path, headers, body)
        : v2Event(route, method, path, headers, body);
    return runtime.invoke(route.fnId, event);
  };

  // The operations every HTTP function documents at its /openapi.json, asked of each bundle directly.
  const operations: Operation[] = [];
  for (const fnId of [...new Set(routes.map((r) => r.fnId))]) {
    const route =
      routes.find((r) => r.fnId === fnId && r.via !== 'function-url') ?? routes.find((r) => r.fnId === fnId);
    if (!route) continue;
    const out = await send(route, 'GET', '/openapi.json', false);
    const answer = answerOf(out.result);
    if (!out.ok) {
      check(`${runtime.serviceOf(fnId)} starts`, false, out.error);
      continue;
    }
    // Only the public function publishes the document; the others answer 404 there.
    if (answer.statusCode !== 200) continue;
    for (const op of operationsOf(JSON.parse(answer.body))) {
      if (!operations.some((o) => o.method === op.method && o.path === op.path)) operations.push(op);
    }
  }
  const reached = new Set<Route>();
  for (const op of operations) {
    const path = concrete(op.path, fx);
    const name = `${op.method} ${op.path}`;
    if (syn.profile === 'global' && bucketPatterns(syn.templates).some((p) => glob(p).test(path))) {
      check(`${name} is served from the export bucket by CloudFront`, true);
      continue;
    }
    const route = routeFor(op.method, path);
    if (!route || (route.via !== 'function-url' && route.path === '$default')) {
      check(`${name} is routed`, false, route ? 'reaches only the catch-all' : 'no route');
      continue;
    }
    reached.add(route);
    const service = runtime.serviceOf(route.fnId);
    if (route.via !== 'rest-api') {
      check(
        `${name} authorisation at the gateway matches OpenAPI`,
        route.gatewayAuth === op.secured,
        `${route.key}: gateway ${route.gatewayAuth ? 'JWT' : 'none'}, OpenAPI ${op.secured ? 'secured' : 'open'}`,
      );
    }
    const out = await send(route, op.method, path, op.secured);
    if (!out.ok) {
      check(`${name} → ${service} (${route.via})`, false, out.error);
      continue;
    }
    const answer = answerOf(out.result);
    check(
      `${name} → ${service} (${route.via}) serves it`,
      !unrouted(answer) && answer.statusCode > 0 && answer.statusCode < 500,
      `${answer.statusCode} ${answer.body.slice(0, 160)}`,
    );
    if (op.secured) {
      // Without a token the app refuses it, whatever the gateway does.
      const bare = answerOf((await send(route, op.method, path, false)).result);
      check(
        `${name} without a token is refused`,
        bare.statusCode === 401 || (route.gatewayAuth && bare.statusCode > 0),
        `${bare.statusCode}`,
      );
    }
  }

  // Every route of the templates reaches a function that serves something there.
  const joinsTheTree = (r: Route) =>
    r.via === 'rest-api' &&
    r.method === 'ANY' &&
    (r.path === '/{proxy+}' || routes.some((o) => o !== r && o.path.startsWith(`${r.path}/`))) &&
    runtime.serviceOf(r.fnId) === 'public-api';
  const unreached = routes.filter(
    (r) => r.via !== 'function-url' && r.path !== '$default' && !reached.has(r) && !joinsTheTree(r),
  );
  for (const route of unreached) {
    const method = route.method === 'ANY' ? 'GET' : route.method;
    const out = await send(
      route,
      method,
      concrete(route.path, fx),
      route.gatewayAuth || route.path.includes('admin'),
    );
    const answer = answerOf(out.result);
    const served = route.method === 'ANY' && answer.statusCode === 405;
    const proxy = route.path.endsWith('{proxy+}');
    check(
      `${route.key} (${route.via}) → ${runtime.serviceOf(route.fnId)} ${proxy ? 'starts (no documented operation under it)' : 'serves it'}`,
      out.ok && (served || proxy || !unrouted(answer)) && answer.statusCode < 500,
      out.ok ? `${answer.statusCode} ${answer.body.slice(0, 160)}` : out.error,
    );
  }

  // Every schedule's input, as Scheduler sends it, runs its job.
  for (const [, r] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')) {
    const target = (r.Properties?.Target ?? {}) as Json;
    const fnId = functionIdIn(target.Arn) ?? '';
    const input = String(target.Input ?? '{}').replace(
      '<aws.scheduler.scheduled-time>',
      new Date().toISOString(),
    );
    const job = (JSON.parse(input) as { job?: string }).job;
    const out = await runtime.invoke(fnId, JSON.parse(input));
    check(`schedule ${job} runs its job`, out.ok, out.error);
  }

  // Each sender takes an SQS batch of what the functions published for its channel.
  for (const [fnId, r] of Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping',
  )) {
    void fnId;
    const fn = /"Ref":"([^"]+)"/.exec(JSON.stringify(r.Properties?.FunctionName))?.[1] ?? '';
    const service = runtime.serviceOf(fn);
    const channel = service.startsWith('wechat') ? 'wechat' : 'sms';
    const notices = fx.fake.published.filter((p) => p.attributes.channel === channel).slice(0, 10);
    const records = notices.map((n, i) => ({
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
      awsRegion: syn.region,
    }));
    const out = await runtime.invoke(fn, { Records: records });
    const result = out.result as { batchItemFailures?: unknown[] } | undefined;
    check(
      `${service} takes an SQS batch (${records.length} ${channel} notices)`,
      out.ok && Array.isArray(result?.batchItemFailures),
      out.ok ? JSON.stringify(result).slice(0, 160) : out.error,
    );
  }
  await runtime.close();
  return { checks, operations: operations.length };
}

/** The operations of the OpenAPI document the service serves. */
export function operationsOf(doc: {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({ method: method.toUpperCase(), path, secured: (op.security ?? []).length > 0 });
    }
  }
  return ops;
}

/** The templates of a cloud assembly directory, by stack name. */
export function templatesIn(assemblyDir: string, stackNames: string[]): Record<string, Template> {
  return Object.fromEntries(
    stackNames.map((n) => [
      n,
      JSON.parse(readFileSync(join(assemblyDir, `${n}.template.json`), 'utf8')) as Template,
    ]),
  );
}
