import {
  MAX_JSON_BODY_BYTES,
  MAX_OBJECTION_BODY_BYTES,
  MAX_UPGRADE_BODY_BYTES,
} from '../shared/http/body-limit.ts';
import { IMPORT_LIMITS } from '../shared/import/limits.ts';
import { NOTICE_KEY_PREFIX } from '../shared/store/keys.ts';
import type { RouteLimit } from './constructs/api-hardening.ts';
import type { FunctionSpec } from './constructs/function-spec.ts';
import type { JobSchedule } from './constructs/job-schedules.ts';
import type { BodyCap } from './constructs/waf-rules.ts';

/**
 * The one catalogue of the service's routes and functions. Both profiles build from it: the global
 * profile's HTTP API routes, CloudFront behaviours, WAF body caps and throttles, the China profile's
 * REST API resources and its regional WAF's body caps, and every function with its schedules. What
 * differs between the profiles is written in PROFILE_DIFFERENCES, nowhere else.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type HttpFunction = 'public-api' | 'objections-api' | 'admin-api' | 'imports-api';

export interface RouteSpec {
  /** API Gateway path syntax: `{name}` one segment, a trailing `{proxy+}` any rest of the path. */
  path: string;
  methods: readonly HttpMethod[];
  fn: HttpFunction;
  /** `jwt`: a bearer token of the profile's identity provider (checked at the gateway where it can be). */
  auth: 'none' | 'jwt';
  /** A body limit other than the WAF common rule set's 8 KB, refused at the WAF above what the app allows. */
  bodyCap?: { name: string; maxBytes: number };
  /** Its own share of the stage's rate (global HTTP API). */
  throttle?: RouteLimit;
}

const ADMIN_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const read = (path: string): RouteSpec => ({ path, methods: ['GET'], fn: 'public-api', auth: 'none' });
const admin = (path: string, extra: Partial<RouteSpec> = {}): RouteSpec => ({
  path,
  methods: ADMIN_METHODS,
  fn: 'admin-api',
  auth: 'jwt',
  ...extra,
});

/** Register imports (the imports function); the raw file is the body. */
export const IMPORT_ROUTE = '/v1/admin/imports';
/** An institution's upgrade application, with its self-assessment report (the admin function). */
export const UPGRADE_APPLICATION_ROUTE = '/v1/institutions/{uscc}/upgrade-applications';
/** The one write anyone may make: an objection to a result in publicity (the objections function). */
export const PUBLIC_WRITE_ROUTE = '/v1/publicity/{resultId}/objections';

/**
 * Every route. Order matters twice: CloudFront tries its behaviours in this order, and the WAF's body
 * caps take their priorities from it (the import's cap before the admin JSON cap it is an exception to).
 * Anything not routed here reaches the read-only public function (the HTTP API's `$default`, the REST
 * API's root proxy), which answers 404 or 405: a route forgotten here never reaches the admin code.
 */
export const ROUTES: readonly RouteSpec[] = [
  read('/'),
  read('/docs'),
  read('/openapi.json'),
  read('/health'),
  read('/stats'),
  read('/i/{uscc}'),
  read('/v1/institutions'),
  read('/v1/institutions/{uscc}'),
  read('/v1/institutions/{uscc}/{proxy+}'),
  read('/v1/stats'),
  read('/v1/publicity'),
  read('/v1/changes'),
  read('/v1/changes.atom'),
  read('/v1/export/{proxy+}'),
  {
    path: IMPORT_ROUTE,
    methods: ['POST'],
    fn: 'imports-api',
    auth: 'jwt',
    bodyCap: { name: 'Import', maxBytes: IMPORT_LIMITS.fileBytes },
  },
  // A violation's description or a result's breakdown can pass 8 KB.
  admin('/v1/admin/{proxy+}', {
    bodyCap: { name: 'AdminJson', maxBytes: MAX_JSON_BODY_BYTES },
    throttle: { rateLimit: 50, burstLimit: 100 },
  }),
  // An exact path lists only the methods its function serves: another would reach it only to be a 405.
  admin(UPGRADE_APPLICATION_ROUTE, {
    methods: ['POST'],
    bodyCap: { name: 'UpgradeApplication', maxBytes: MAX_UPGRADE_BODY_BYTES },
  }),
  admin('/v1/institutions/{uscc}/contacts', { methods: ['PUT'] }),
  // Objections get a small share of the stage's rate, so a flood of them cannot take the public reads'.
  {
    path: PUBLIC_WRITE_ROUTE,
    methods: ['POST'],
    fn: 'objections-api',
    auth: 'none',
    bodyCap: { name: 'Objection', maxBytes: MAX_OBJECTION_BODY_BYTES },
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
];

/** The scheduled jobs (Asia/Shanghai wall-clock times); the jobs function runs one by name. */
export const SCHEDULES: readonly JobSchedule[] = [
  { job: 'reminders', cron: { minute: '0', hour: '8' }, what: 're-review reminders, daily at 08:00' },
  { job: 'publicity', cron: { minute: '10', hour: '0' }, what: 'publicity start/end, daily after midnight' },
  { job: 'upgrade-window', cron: { minute: '0', hour: '9', day: '1', month: '1' }, what: 'upgrade window' },
  {
    job: 'calendar-coverage',
    cron: { minute: '30', hour: '7' },
    what: 'working-day calendar reaches 60 days ahead, daily at 07:30',
  },
  { job: 'feed-relay', cron: { minute: '0/5' }, what: 'change events to the public topic, every 5 minutes' },
  {
    job: 'grades-export',
    cron: { minute: '2/5' },
    what: 'grades CSV to the export bucket when the register changed',
  },
  { job: 'notice-outbox', cron: { minute: '0/15' }, what: 'parked notice requests, every 15 minutes' },
  {
    job: 'register-snapshot',
    cron: { minute: '*' },
    what: 'register snapshot for cold starts, every minute when the register changed',
  },
];

/** What invokes a function: its routes, its schedules, or the notice queue of its channel. */
export type Trigger = 'http' | 'schedule' | 'queue';

export interface CatalogueFunction
  extends FunctionSpec<HttpFunction | 'jobs' | 'wechat-sender' | 'sms-sender'> {
  trigger: Trigger;
  /** The notice channel a sender delivers (its SQS queue subscribes to the notices topic). */
  channel?: 'wechat' | 'sms';
}

/** Every function: what it is and may touch (`functions/<name>/handler.ts`). */
export const FUNCTIONS: readonly CatalogueFunction[] = [
  {
    name: 'public-api',
    trigger: 'http',
    cursorSecret: true,
    memory: 1024,
    timeout: 10,
    table: 'read',
    reservedConcurrency: 50,
    quietPlatformLogs: true,
  },
  // The only public write; its own small pool, so objections cannot take concurrency from anyone else.
  {
    name: 'objections-api',
    trigger: 'http',
    cursorSecret: true,
    memory: 512,
    timeout: 10,
    table: 'write',
    reservedConcurrency: 10,
  },
  {
    name: 'admin-api',
    trigger: 'http',
    cursorSecret: true,
    memory: 1024,
    timeout: 29,
    table: 'write',
    publish: ['notices'],
    reservedConcurrency: 10,
  },
  // Spreadsheets: the memory a 20 MB inflated workbook needs, and few at a time (docs/imports.md).
  {
    name: 'imports-api',
    trigger: 'http',
    cursorSecret: true,
    memory: 2048,
    timeout: 29,
    table: 'write',
    publish: ['notices'],
    reservedConcurrency: 2,
  },
  // Two at most: the schedules never overlap a job with itself for long (docs/operations.md).
  {
    name: 'jobs',
    trigger: 'schedule',
    cursorSecret: true,
    memory: 1024,
    timeout: 300,
    table: 'write',
    publish: ['notices', 'changes'],
    reservedConcurrency: 2,
  },
  {
    name: 'wechat-sender',
    trigger: 'queue',
    channel: 'wechat',
    memory: 512,
    timeout: 30,
    table: 'write',
    partitions: [NOTICE_KEY_PREFIX],
    reservedConcurrency: 5,
  },
  {
    name: 'sms-sender',
    trigger: 'queue',
    channel: 'sms',
    memory: 512,
    timeout: 30,
    table: 'write',
    partitions: [NOTICE_KEY_PREFIX],
    reservedConcurrency: 5,
  },
];

/**
 * Every way the two profiles differ, each for a reason of the China regions (docs/deploy-china.md).
 * The tests read this list against the templates.
 */
export const PROFILE_DIFFERENCES = {
  frontDoor:
    'global: an HTTP API behind CloudFront and a us-east-1 WAF; China: a regional REST API whose stage carries a regional WAF (CloudFront China cannot carry WAF, a regional web ACL cannot attach to an HTTP API)',
  authorisation:
    'global: `jwt` routes pass a JWT authorizer on the Cognito user pool and the app verifies the token again; China: no authorizer at the gateway (no Cognito there), the app verifies the OIDC token',
  publicReads:
    "global with a custom domain: CloudFront reaches the public function through its URL; China: through the REST API's resources like every other route",
  originHeader:
    "global: HTTP functions answer only requests carrying CloudFront's secret origin header; China: no CloudFront, no header",
  sms: 'global: SNS SMS (sms-sender may publish to phone numbers); China: Aliyun SMS with its key in a secret',
  egress:
    'China: the senders run in a VPC behind NAT Elastic IPs, which WeChat and Aliyun allow-list; global: no VPC',
  export:
    'global: CloudFront serves grades.csv from the export bucket; China: the public function answers with a presigned S3 link',
} as const;

/** The routes of one function. */
export const routesOf = (fn: HttpFunction) => ROUTES.filter((r) => r.fn === fn);

/** Paths served by the public (read-only) function, all without authorization. */
export const PUBLIC_ROUTES = routesOf('public-api').map((r) => r.path);

/** Paths served by the admin function behind the JWT authorizer. */
export const AUTHENTICATED_ROUTES = routesOf('admin-api').map((r) => r.path);

/** The routes whose body limit is not the WAF common rule set's 8 KB, each with the routes below it it leaves to their own cap. */
export const ROUTE_BODY_CAPS: readonly BodyCap[] = ROUTES.flatMap((r) => {
  if (!r.bodyCap) return [];
  const prefix = r.path.endsWith('/{proxy+}') ? r.path.slice(0, -'{proxy+}'.length) : undefined;
  const except = prefix
    ? ROUTES.filter((o) => o !== r && o.bodyCap && o.path.startsWith(prefix)).map((o) => o.path)
    : [];
  return [{ ...r.bodyCap, route: r.path, ...(except.length > 0 ? { except } : {}) }];
});

/** Per-route throttles under the stage's 500/s, keyed as the HTTP API names a route (`POST /path`). */
export const ROUTE_LIMITS: Record<string, RouteLimit> = Object.fromEntries(
  ROUTES.flatMap((r) => {
    const limit = r.throttle;
    return limit ? r.methods.map((m) => [`${m} ${r.path}`, limit] as const) : [];
  }),
);

/**
 * CloudFront's path patterns for the routes that are not public reads (never cached, every method and
 * the Authorization header passed on): `{x}` becomes `*`; a path with a `{proxy+}` beside it covers both.
 */
export function uncachedPathPatterns(): string[] {
  const paths = ROUTES.filter((r) => r.fn !== 'public-api').map((r) => r.path.replace(/\{[^}+]+\}/g, '*'));
  const patterns: string[] = [];
  for (const p of paths) {
    let pattern: string;
    if (p.endsWith('/{proxy+}')) {
      const base = p.slice(0, -'/{proxy+}'.length);
      pattern = paths.includes(base) ? `${base}*` : `${base}/*`;
    } else pattern = paths.includes(`${p}/{proxy+}`) ? `${p}*` : p;
    if (!patterns.includes(pattern)) patterns.push(pattern);
  }
  // A pattern another already covers adds nothing.
  const covers = (wide: string, narrow: string) =>
    wide !== narrow && wide.endsWith('*') && narrow.startsWith(wide.slice(0, -1));
  return patterns.filter((p) => !patterns.some((wide) => covers(wide, p)));
}
