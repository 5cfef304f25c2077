import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A synthesised profile as the deploy would upload it: its templates and the cloud assembly's assets. */
export interface Synthesised {
  profile: 'global' | 'china';
  region: string;
  /** Stack name → template. */
  templates: Record<string, Template>;
  /** The cloud assembly directory (cdk.out), which holds `asset.<hash>/index.mjs`. */
  assemblyDir: string;
}

export type Json = Record<string, unknown>;
export interface Template {
  Resources: Record<string, { Type: string; Properties?: Json }>;
}

/** Every resource of a profile's stacks, by logical id. */
export function resourcesOf(templates: Record<string, Template>): Template['Resources'] {
  return Object.assign({}, ...Object.values(templates).map((t) => t.Resources));
}

/** The function a template's intrinsic names (`Fn::GetAtt [fn, Arn]`, possibly inside a `Fn::Join`). */
export function functionIdIn(value: unknown): string | undefined {
  const json = JSON.stringify(value ?? null);
  return /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(json)?.[1];
}

const refIn = (value: unknown) => /"Ref":"([^"]+)"/.exec(JSON.stringify(value ?? null))?.[1];

/** A route of a front door: how a request reaches a function, and what the gateway asks of it. */
export interface Route {
  via: 'http-api' | 'rest-api' | 'function-url';
  key: string;
  method: string;
  path: string;
  fnId: string;
  gatewayAuth: boolean;
}

/** The HTTP API's route table, the REST API's resource tree and the function URL, as the templates hold them. */
export function routesOf(templates: Record<string, Template>): Route[] {
  const resources = resourcesOf(templates);
  const routes: Route[] = [];
  const of = (type: string) => Object.values(resources).filter((r) => r.Type === type);
  for (const r of of('AWS::ApiGatewayV2::Route')) {
    const p = r.Properties ?? {};
    const fnId = functionIdIn(resources[refIn(p.Target) ?? '']?.Properties?.IntegrationUri) ?? '';
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
    const parent = refIn(r.Properties?.ParentId);
    const path = `${parent ? pathOf(parent) : ''}/${r.Properties?.PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const r of of('AWS::ApiGateway::Method')) {
    const p = r.Properties ?? {};
    const resourceId = refIn(p.ResourceId);
    const path = (resourceId ? pathOf(resourceId) : '') || '/';
    const method = String(p.HttpMethod);
    const fnId = functionIdIn((p.Integration as Json | undefined)?.Uri) ?? '';
    const gatewayAuth = p.AuthorizationType !== 'NONE';
    routes.push({ via: 'rest-api', key: `${method} ${path}`, method, path, fnId, gatewayAuth });
  }
  for (const r of of('AWS::Lambda::Url')) {
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

/** The distribution's path patterns: those to the API and those served from a bucket (never a function). */
export function behaviours(templates: Record<string, Template>): { api: string[]; bucket: string[] } {
  for (const r of Object.values(resourcesOf(templates))) {
    if (r.Type !== 'AWS::CloudFront::Distribution') continue;
    const config = (r.Properties?.DistributionConfig ?? {}) as Json;
    const s3 = new Set(
      ((config.Origins ?? []) as Json[])
        .filter((o) => o.S3OriginConfig !== undefined)
        .map((o) => String(o.Id)),
    );
    const all = (config.CacheBehaviors ?? []) as Json[];
    return {
      api: all.filter((b) => !s3.has(String(b.TargetOriginId))).map((b) => String(b.PathPattern)),
      bucket: all.filter((b) => s3.has(String(b.TargetOriginId))).map((b) => String(b.PathPattern)),
    };
  }
  return { api: [], bucket: [] };
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

/** The route of a front door a request takes; the catch-all (`$default`) when no other matches. */
export function matchRoute(
  routes: Route[],
  via: Route['via'],
  method: string,
  path: string,
): Route | undefined {
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

/** A CloudFront path pattern as a regular expression. */
export const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The templates of a cloud assembly directory, by stack name. */
export function templatesIn(assemblyDir: string, stackNames: string[]): Record<string, Template> {
  return Object.fromEntries(
    stackNames.map((n) => [
      n,
      JSON.parse(readFileSync(join(assemblyDir, `${n}.template.json`), 'utf8')) as Template,
    ]),
  );
}
