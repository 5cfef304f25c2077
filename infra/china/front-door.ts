import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { IMPORT_MEDIA_TYPES } from '../../shared/import/media-types.ts';
import { type HttpFunction, PUBLIC_ROUTES, ROUTE_BODY_CAPS, ROUTES } from '../catalogue.ts';
import { LOG_RETENTION, newWebAcl, WebAclLogs } from '../constructs/waf-rules.ts';

export interface RegionalFrontDoorProps {
  /** The function of each of the catalogue's routes (infra/catalogue.ts). */
  functions: Record<HttpFunction, lambda.IFunction>;
  /** The ICP-filed custom domain: the only way in, since the execute-api endpoint is switched off. */
  domainName: string;
  /** An imported regional certificate; without it ACM issues one (DNS validation). */
  certificateArn?: string | undefined;
  publicRateLimit: number;
  overallRateLimit: number;
}

/**
 * The China profile's front door. WAF is regional-only in the China regions and a regional web ACL
 * cannot attach to an HTTP API, so the API is a regional REST API whose stage carries the web ACL;
 * its default execute-api endpoint is disabled, so every public and admin path goes through the
 * custom domain and the WAF. Edge-optimised endpoints and Cognito authorizers do not exist there:
 * bearer tokens of the city's OIDC provider are verified in the app (shared/auth/verifier.ts).
 */
export class RegionalFrontDoor extends Construct {
  readonly api: apigw.RestApi;
  readonly webAcl: wafv2.CfnWebACL;
  readonly domain: apigw.DomainName;
  readonly accessLogs: logs.LogGroup;
  readonly wafLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RegionalFrontDoorProps) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: 'yimei-credit',
      description: 'yimei-credit public and authenticated API (China profile)',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // Without these a workbook would be passed on as (broken) UTF-8 text. Both import types arrive
      // base64-encoded, so the file limit's arithmetic (shared/http/lambda-payload.ts) holds for CSV too;
      // responses are unaffected, since no function answers with isBase64Encoded. CloudFormation wants
      // the slash of a media type written ~1.
      binaryMediaTypes: Object.values(IMPORT_MEDIA_TYPES).map((t) => t.replace('/', '~1')),
      disableExecuteApiEndpoint: true,
      // REST API access logs need the account's API Gateway CloudWatch role; kept if the stack goes.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: 'prod',
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: 500,
        throttlingBurstLimit: 1000,
        // No X-Ray tracing in either profile: the functions log with Powertools and the alarms cover
        // errors, so nothing here depends on a service whose China-region feature set we have not verified.
        tracingEnabled: false,
      },
    });
    // The execute-api endpoint is disabled: an output pointing at it would only mislead.
    this.api.node.tryRemoveChild('Endpoint');
    this.addRoutes(props);

    this.webAcl = newWebAcl(this, 'WebAcl', {
      scope: 'REGIONAL',
      publicRateLimit: props.publicRateLimit,
      overallRateLimit: props.overallRateLimit,
      bodyCaps: ROUTE_BODY_CAPS,
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    this.wafLogs = new WebAclLogs(this, 'WebAclLogs', {
      webAcl: this.webAcl,
      name: 'yimei-credit-api',
    }).logGroup;

    const certificate = props.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'ImportedCertificate', props.certificateArn)
      : new acm.Certificate(this, 'Certificate', {
          domainName: props.domainName,
          validation: acm.CertificateValidation.fromDns(),
        });
    this.domain = new apigw.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate,
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      mapping: this.api,
    });
    new CfnOutput(this, 'DomainTarget', {
      description: `CNAME ${props.domainName} to this name at the domain's DNS provider`,
      value: this.domain.domainNameAliasDomainName,
    });

    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason: 'Every request is validated in the app with zod, which answers 4xx naming the field.',
      },
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Public open-data routes need no authorization; admin routes verify the OIDC bearer token in the app (Cognito authorizers do not exist in China).',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Cognito user pools do not exist in the China regions; tokens of the city OIDC provider are verified in the app.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Access logs (kept 180 days) and WAF logs cover operations; execution logs would add request bodies with personal data.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The account-level role API Gateway needs to write REST API access logs, as AWS defines it.',
      },
    );
  }

  /**
   * Public routes (and every path the tree needs, so a request never stops at a method-less resource)
   * go to the read-only function; authenticated routes to the admin function, except the objection write
   * and register imports, which have their own functions.
   */
  private addRoutes(props: RegionalFrontDoorProps): void {
    const options = { allowTestInvoke: false, scopePermissionToMethod: false };
    const integrations = new Map<HttpFunction, apigw.LambdaIntegration>();
    const integrationOf = (fn: HttpFunction) => {
      let integration = integrations.get(fn);
      if (!integration) {
        integration = new apigw.LambdaIntegration(props.functions[fn], options);
        integrations.set(fn, integration);
      }
      return integration;
    };
    const publicIntegration = integrationOf('public-api');
    const admin = new Set<apigw.Resource>();
    // Every method of a routed resource goes to its function, which answers 405 for one it does not serve.
    for (const fn of ['admin-api', 'objections-api', 'imports-api'] as const) {
      for (const route of ROUTES.filter((r) => r.fn === fn)) {
        const resource = this.api.root.resourceForPath(route.path);
        resource.addMethod('ANY', integrationOf(fn));
        admin.add(resource);
      }
    }
    for (const path of PUBLIC_ROUTES) this.api.root.resourceForPath(path);
    const visit = (resource: apigw.IResource) => {
      if (!admin.has(resource as apigw.Resource)) resource.addMethod('ANY', publicIntegration);
      for (const child of resource.node.children) {
        if (child instanceof apigw.Resource) visit(child);
      }
    };
    visit(this.api.root);
    // Anything else the tree does not name (page assets, unknown paths): the read-only function,
    // which answers 404 for what it does not serve.
    const root = this.api.root as apigw.Resource;
    if (!root.node.tryFindChild('{proxy+}')) root.addProxy({ defaultIntegration: publicIntegration });
  }
}
