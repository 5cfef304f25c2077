import { ORIGIN_VERIFY_HEADER } from '#shared/http/origin-verify.ts';
import type { OpenApiDocument } from '../openapi-document.ts';
import { sqsEvent, v1Event, v2Event } from './events.ts';
import type { startFakeAws } from './fake-aws.ts';
import type { Invocation, LambdaRuntime } from './lambda-runtime.ts';
import {
  behaviours,
  functionIdIn,
  glob,
  type Json,
  matchRoute,
  type Route,
  resourcesOf,
  routesOf,
  type Synthesised,
  type Template,
} from './templates.ts';

/** An operation of the service's OpenAPI document. */
export interface Operation {
  method: string;
  path: string;
  secured: boolean;
}

/** The local world every profile runs against: the table, the stand-ins for AWS, the contract, ids that exist. */
export interface Fixtures {
  pathValues: Record<string, string>;
  tableName: string;
  dynamoEndpoint: string;
  fake: Awaited<ReturnType<typeof startFakeAws>>;
  secretValues: { cursor: string; originVerify: string };
  runtime: LambdaRuntime;
  /** The whole service's OpenAPI document: every operation any function serves. */
  document: OpenApiDocument;
}

export interface Check {
  profile: string;
  what: string;
  ok: boolean;
  detail?: string;
}

const LOCAL_ISSUER = 'https://idp.smoke.invalid';
const LOCAL_AUDIENCE = 'smoke-audience';

/** The profile's functions as the runtime loads them: each one's bundle and the environment its template gives it. */
class Functions {
  constructor(
    private readonly syn: Synthesised,
    private readonly fx: Fixtures,
    private readonly resources: Template['Resources'],
  ) {}

  /** The service name of a function (its POWERTOOLS_SERVICE_NAME). */
  serviceOf(fnId: string): string {
    return String(this.templateEnv(fnId).POWERTOOLS_SERVICE_NAME ?? fnId);
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
      POWERTOOLS_LOG_LEVEL: process.env.SMOKE_LOG_LEVEL ?? 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
  }

  /** The bundle the template deploys for the function (`asset.<hash>/index.mjs` of its S3 key). */
  assetFile(fnId: string): string {
    const code = (this.resources[fnId]?.Properties?.Code ?? {}) as Json;
    const hash = String(code.S3Key ?? '').replace(/\.zip$/, '');
    return `${this.syn.assemblyDir}/asset.${hash}/index.mjs`;
  }

  invoke(fnId: string, event: unknown): Promise<Invocation> {
    const fn = { name: this.serviceOf(fnId), file: this.assetFile(fnId), env: this.environment(fnId) };
    return this.fx.runtime.invoke(fn, event);
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

const failure = (out: Invocation, answer?: HttpAnswer) =>
  out.ok
    ? `${answer?.statusCode} ${answer?.body.slice(0, 160)}${out.logs.length ? ` | ${out.logs.join(' | ').slice(0, 300)}` : ''}`
    : `${out.error}${out.logs.length ? ` | ${out.logs.join(' | ').slice(0, 300)}` : ''}`;

/** A `{proxy+}` route's prefix, e.g. `/v1/admin/` for `/v1/admin/{proxy+}`. */
const proxyPrefix = (path: string) =>
  path.endsWith('/{proxy+}') ? path.slice(0, -'{proxy+}'.length) : undefined;

/**
 * Drives one synthesised profile: every operation of the service's OpenAPI document through the front
 * door the templates build (to the function its route names, with the event that front door sends), every
 * route of the templates, every schedule's input, and an SQS batch of what was published for each sender.
 */
export async function smokeProfile(syn: Synthesised, fx: Fixtures): Promise<Check[]> {
  const resources = resourcesOf(syn.templates);
  const functions = new Functions(syn, fx, resources);
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, detail?: string) =>
    checks.push({ profile: syn.profile, what, ok, ...(detail && !ok ? { detail } : {}) });
  const routes = routesOf(syn.templates);
  const { api: apiPatterns, bucket: bucketPatterns } = behaviours(syn.templates);
  const functionUrl = routes.find((r) => r.via === 'function-url');
  const origin: Record<string, string> =
    syn.profile === 'global' ? { [ORIGIN_VERIFY_HEADER]: fx.secretValues.originVerify } : {};
  const tokens = new Map<string, string>();
  const tokenFor = async (fnId: string) => {
    const claim = String(functions.templateEnv(fnId).JWT_GROUPS_CLAIM ?? 'cognito:groups');
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
    const toApi = !functionUrl || apiPatterns.some((p) => glob(p).test(path));
    return toApi ? matchRoute(routes, 'http-api', method, path) : functionUrl;
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
    return functions.invoke(route.fnId, event);
  };

  // Every operation of the contract, through the front door, reaches a function that serves it.
  const operations = operationsOf(fx.document);
  const reached = new Set<Route>();
  for (const op of operations) {
    const path = concrete(op.path, fx);
    const name = `${op.method} ${op.path}`;
    if (functionUrl && bucketPatterns.some((p) => glob(p).test(path))) {
      check(`${name} is served from the export bucket by CloudFront`, op.method === 'GET' && !op.secured);
      continue;
    }
    const route = routeFor(op.method, path);
    if (!route || (route.via !== 'function-url' && route.path === '$default')) {
      check(`${name} is routed`, false, route ? 'reaches only the catch-all' : 'no route');
      continue;
    }
    reached.add(route);
    const service = functions.serviceOf(route.fnId);
    // The China profile has no authorizer at the gateway (PROFILE_DIFFERENCES.authorisation): the app checks.
    if (route.via !== 'rest-api') {
      check(
        `${name} authorisation at the gateway matches OpenAPI`,
        route.gatewayAuth === op.secured,
        `${route.key}: gateway ${route.gatewayAuth ? 'JWT' : 'none'}, OpenAPI ${op.secured ? 'secured' : 'open'}`,
      );
    }
    const out = await send(route, op.method, path, op.secured);
    const answer = answerOf(out.result);
    check(
      `${name} → ${service} (${route.via}) serves it`,
      out.ok && !unrouted(answer) && answer.statusCode > 0 && answer.statusCode < 500,
      failure(out, answer),
    );
    if (op.secured) {
      // Without a token the app refuses it, whatever the gateway does.
      const bareOut = await send(route, op.method, path, false);
      const bare = answerOf(bareOut.result);
      check(
        `${name} → ${service} without a token is refused`,
        bare.statusCode === 401 || (route.gatewayAuth && bare.statusCode > 0),
        failure(bareOut, bare),
      );
    }
  }

  // Every route of the templates reaches a function that serves something there. A REST resource that
  // only joins the tree (its ANY to the public function) and the catch-alls are not routes of their own.
  const joinsTheTree = (r: Route) =>
    r.via === 'rest-api' &&
    r.method === 'ANY' &&
    (r.path === '/{proxy+}' || routes.some((o) => o !== r && o.path.startsWith(`${r.path}/`))) &&
    functions.serviceOf(r.fnId) === 'public-api';
  for (const route of routes) {
    if (
      route.via === 'function-url' ||
      route.path === '$default' ||
      reached.has(route) ||
      joinsTheTree(route)
    )
      continue;
    const name = `${route.key} (${route.via}) → ${functions.serviceOf(route.fnId)}`;
    const prefix = proxyPrefix(route.path);
    if (prefix) {
      // A `{proxy+}` route no operation of its method falls under routes to nothing.
      check(`${name} has an operation under it`, false, 'no operation of the OpenAPI document reaches it');
      continue;
    }
    const method = route.method === 'ANY' ? 'GET' : route.method;
    const out = await send(
      route,
      method,
      concrete(route.path, fx),
      route.gatewayAuth || route.path.includes('admin'),
    );
    const answer = answerOf(out.result);
    // ANY on a REST resource: a 405 from its function still means the path is one it serves.
    const served = (route.method === 'ANY' && answer.statusCode === 405) || !unrouted(answer);
    check(`${name} serves it`, out.ok && served && answer.statusCode < 500, failure(out, answer));
  }

  // Every schedule's input, as Scheduler sends it, runs its job.
  for (const r of Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule')) {
    const target = (r.Properties?.Target ?? {}) as Json;
    const input = String(target.Input ?? '{}').replace(
      '<aws.scheduler.scheduled-time>',
      new Date().toISOString(),
    );
    const event = JSON.parse(input) as { job?: string };
    const out = await functions.invoke(functionIdIn(target.Arn) ?? '', event);
    const report = out.result as { job?: string } | undefined;
    check(`schedule ${event.job} runs its job`, out.ok && report?.job === event.job, failure(out));
  }

  // Each sender takes an SQS batch of what the functions published for its channel.
  for (const r of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')) {
    const fnId = /"Ref":"([^"]+)"/.exec(JSON.stringify(r.Properties?.FunctionName))?.[1] ?? '';
    const service = functions.serviceOf(fnId);
    const channel = service.startsWith('wechat') ? 'wechat' : 'sms';
    const notices = fx.fake.published.filter((p) => p.attributes.channel === channel).slice(0, 10);
    const out = await functions.invoke(fnId, sqsEvent(syn.region, notices));
    const result = out.result as { batchItemFailures?: unknown[] } | undefined;
    check(
      `${service} takes an SQS batch (${notices.length} ${channel} notices)`,
      out.ok && notices.length > 0 && result?.batchItemFailures?.length === 0,
      out.ok
        ? `${JSON.stringify(result).slice(0, 160)} | ${out.logs.join(' | ').slice(0, 600)}`
        : failure(out),
    );
  }
  return checks;
}

/** The operations of an OpenAPI document, each secured when it names a security requirement. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        secured: (op.security ?? []).length > 0,
      })),
  );
}
