import { Annotations, CfnOutput, Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type HttpFunction, ROUTE_LIMITS, ROUTES, type RouteSpec, routesOf } from '../catalogue.ts';
import { throttleRoutes } from './api-hardening.ts';
import { LOG_RETENTION } from './waf-rules.ts';

/*
 * The global profile's HTTP API. Built on the stack itself (not inside a construct of its own), so the
 * resources keep the logical ids they were first deployed with.
 */

/** The HTTP API and its `$default` stage: access logs, the stage's rate and each route's share of it. */
export function newHttpApi(stack: Stack, opts: { originDomainName?: string | undefined }) {
  const api = new apigwv2.HttpApi(stack, 'Api', {
    description: 'yimei-credit public and authenticated API',
    createDefaultStage: false,
    // Only CloudFront (and its WAF) answers once the API has a custom domain to be reached through.
    disableExecuteApiEndpoint: opts.originDomainName !== undefined,
    // CORS is for the public reads only: a browser on another site may GET, never write.
    corsPreflight: {
      allowOrigins: ['*'],
      allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.HEAD, apigwv2.CorsHttpMethod.OPTIONS],
      allowHeaders: ['if-none-match'],
      exposeHeaders: ['etag'],
      maxAge: Duration.hours(1),
    },
  });
  const accessLogs = new logs.LogGroup(stack, 'ApiAccessLogs', {
    retention: LOG_RETENTION,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const stage = new apigwv2.HttpStage(stack, 'ApiStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    // Without an origin domain the execute-api endpoint is reachable without CloudFront: this caps
    // what bypassing WAF could do.
    throttle: { rateLimit: 500, burstLimit: 1000 },
    accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
  });
  throttleRoutes(stage, ROUTE_LIMITS);
  return { api, stage, accessLogs };
}

/**
 * The API's regional custom domain that CloudFront reaches it through, so the execute-api endpoint
 * can be switched off. The operator points the name (CNAME) at the output target. Without a domain
 * the endpoint stays on and the synth says so.
 */
export function newOriginDomain(
  stack: Stack,
  api: apigwv2.HttpApi,
  stage: apigwv2.HttpStage,
  opts: { originDomainName?: string | undefined; originCertificateArn?: string | undefined },
): string | undefined {
  if (!opts.originDomainName) {
    Annotations.of(api).addWarning(
      'The execute-api endpoint stays on (a way around CloudFront and its WAF): pass -c domainName=... or -c originDomainName=... (docs/security.md).',
    );
    return undefined;
  }
  const certificate = opts.originCertificateArn
    ? acm.Certificate.fromCertificateArn(stack, 'OriginCertificate', opts.originCertificateArn)
    : new acm.Certificate(stack, 'OriginCertificate', {
        domainName: opts.originDomainName,
        validation: acm.CertificateValidation.fromDns(),
      });
  const domain = new apigwv2.DomainName(stack, 'OriginDomain', {
    domainName: opts.originDomainName,
    certificate,
    securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
  });
  new apigwv2.ApiMapping(stack, 'OriginMapping', { api, domainName: domain, stage });
  new CfnOutput(stack, 'OriginDomainTarget', {
    description: `CNAME ${opts.originDomainName} to this name at the domain's DNS provider`,
    value: domain.regionalDomainName,
  });
  return opts.originDomainName;
}

/**
 * The catalogue's routes on the HTTP API, each to its function, `jwt` routes behind the JWT authorizer.
 * With `readsViaFunctionUrl` the public reads are left to CloudFront's function-URL origin. Anything not
 * routed (HEAD requests, page assets, unknown paths, a wrong method on a write path) goes to the
 * read-only function, which answers 404 or 405 for what it does not serve.
 */
export function addHttpRoutes(
  api: apigwv2.HttpApi,
  stage: apigwv2.HttpStage,
  functions: Record<HttpFunction, lambda.IFunction>,
  opts: { issuer: string; audience: string; readsViaFunctionUrl: boolean },
): void {
  const integrations = new Map<HttpFunction, HttpLambdaIntegration>();
  const integrationOf = (fn: HttpFunction) => {
    let integration = integrations.get(fn);
    if (!integration) {
      integration = new HttpLambdaIntegration(INTEGRATION_IDS[fn], functions[fn]);
      integrations.set(fn, integration);
    }
    return integration;
  };
  const authorizer = new HttpJwtAuthorizer('Cognito', opts.issuer, {
    jwtAudience: [opts.audience],
    identitySource: ['$request.header.Authorization'],
  });
  const open: apigwv2.HttpRoute[] = [];
  const add = (route: RouteSpec) => {
    const added = api.addRoutes({
      path: route.path,
      methods: route.methods.map((m) => apigwv2.HttpMethod[m]),
      integration: integrationOf(route.fn),
      ...(route.auth === 'jwt' ? { authorizer } : {}),
    });
    if (route.auth === 'none') open.push(...added);
  };
  // The public reads first: the integration resources keep the logical ids of their first route.
  if (!opts.readsViaFunctionUrl) for (const route of routesOf('public-api')) add(route);
  open.push(
    new apigwv2.HttpRoute(api, 'CatchAll', {
      httpApi: api,
      routeKey: apigwv2.HttpRouteKey.DEFAULT,
      integration: integrationOf('public-api'),
    }),
  );
  for (const route of ROUTES.filter((r) => r.fn !== 'public-api')) add(route);
  for (const route of open) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Public open-data route: no authentication by design; rate-limited by WAF.',
    });
  }
  // The route settings name routes: the stage is deployed after them (the API itself it references).
  for (const route of api.node.children.filter((c) => c instanceof apigwv2.HttpRoute)) {
    stage.node.addDependency(route);
  }
}

/** The integrations' construct ids, as first deployed. */
const INTEGRATION_IDS: Record<HttpFunction, string> = {
  'public-api': 'Public',
  'admin-api': 'Admin',
  'objections-api': 'Objections',
  'imports-api': 'Imports',
};
