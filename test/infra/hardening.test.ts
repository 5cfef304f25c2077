import { describe, expect, it } from 'vitest';
import { resourcesOf, serviceFunctionsOf, Template, testDeployment } from '#test/support/infra.ts';
import { ROUTE_LIMITS } from '../../infra/catalogue.ts';

const { stateless } = testDeployment();
const template = Template.fromStack(stateless);
type Props = Record<string, unknown>;
const propsOf = (type: string) => resourcesOf(template, type).map(([, r]) => r.Properties as Props);
const serviceFunctions = () => serviceFunctionsOf(template).map(([, f]) => f.Properties as Props);

describe('abuse resistance in the synthesised template', () => {
  it('reserves concurrency for every function, so a flood on one cannot starve another', () => {
    const fns = serviceFunctions();
    expect(fns.length).toBeGreaterThanOrEqual(7);
    for (const fn of fns) {
      expect(fn.ReservedConcurrentExecutions, String(fn.Description)).toEqual(expect.any(Number));
    }
  });

  it('logs JSON from every function, traces none, and keeps Lambda’s per-invocation lines out of the public reads’ log', () => {
    for (const fn of serviceFunctions()) {
      expect(fn.TracingConfig, String(fn.Description)).toBeUndefined();
      expect(fn.LoggingConfig, String(fn.Description)).toMatchObject({ LogFormat: 'JSON' });
      const quiet = (fn.LoggingConfig as { SystemLogLevel?: string }).SystemLogLevel;
      expect(quiet, String(fn.Description)).toBe(fn.Description === 'public-api' ? 'WARN' : undefined);
    }
  });

  it('throttles objections and the admin surface per route, below the stage', () => {
    const [stage] = propsOf('AWS::ApiGatewayV2::Stage');
    const settings = stage?.RouteSettings as Record<string, { ThrottlingRateLimit: number }>;
    const objections = settings['POST /v1/publicity/{resultId}/objections'];
    // The stage as a whole allows 500 requests per second.
    expect(objections?.ThrottlingRateLimit).toBeLessThan(500);
    expect(settings['POST /v1/admin/{proxy+}']).toBeDefined();
    // Every throttled route key is a route of the API.
    const routeKeys = propsOf('AWS::ApiGatewayV2::Route').map((r) => r.RouteKey);
    for (const key of Object.keys(ROUTE_LIMITS)) expect(routeKeys).toContain(key);
  });

  it('grants CORS preflight to reads only, without the Authorization header', () => {
    const [api] = propsOf('AWS::ApiGatewayV2::Api');
    const cors = api?.CorsConfiguration as { AllowMethods: string[]; AllowHeaders: string[] };
    expect(cors.AllowMethods.sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(cors.AllowHeaders.map((h) => h.toLowerCase())).not.toContain('authorization');
  });
});
