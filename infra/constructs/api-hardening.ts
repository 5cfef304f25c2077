import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';

/** Steady rate and burst (requests per second) of one class of routes. */
export interface RouteLimit {
  rateLimit: number;
  burstLimit: number;
}

/**
 * Per-route throttling of the HTTP API stage: the public write and the admin surface get their own
 * limits below the stage's, so a flood on one cannot use up the others' share. Route keys are
 * `METHOD /path` exactly as the routes are added.
 */
export function throttleRoutes(stage: apigwv2.HttpStage, limits: Record<string, RouteLimit>): void {
  const cfn = stage.node.defaultChild as CfnStage;
  cfn.routeSettings = Object.fromEntries(
    Object.entries(limits).map(([routeKey, l]) => [
      routeKey,
      // RouteSettings is free-form JSON in the L1: the keys are written as CloudFormation spells them.
      { ThrottlingRateLimit: l.rateLimit, ThrottlingBurstLimit: l.burstLimit },
    ]),
  );
}
