import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';
import { parseSettings } from '../../infra/settings.ts';
import { createDeployment } from '../../infra/stacks.ts';

/** The context keys the China profile requires, with its Beijing region. */
export const CHINA_CONTEXT = {
  region: 'cn-north-1',
  domainName: 'credit.example.cn',
  icpNumber: '浙ICP备00000000号',
  oidcIssuer: 'https://id.example.cn',
  oidcAudience: 'yimei-credit',
};

/** A fixed, fictitious account: the stacks need none, but tests make every ARN deterministic. */
export const TEST_ACCOUNT = '123456789012';

const CDK_CONTEXT = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

type Deployment = ReturnType<typeof createDeployment>;

/**
 * One synthesised deployment per context and options, kept for the rest of the process: the infra
 * test files share one module graph (vitest.config.ts), so a file asking for a deployment another
 * file has already built gets that one. No test changes a construct; each only reads the templates
 * and the construct tree. A synth that throws is not kept.
 */
const built = new Map<string, { app: App; deployment: Deployment }>();

function deploymentOf(context: Record<string, unknown>, opts: { bundling?: boolean; validation?: boolean }) {
  const merged = { ...CDK_CONTEXT, ...(opts.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context };
  const key = JSON.stringify([Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)), opts]);
  const known = built.get(key);
  if (known) return known;
  const app = new App({ builtinCloudFormationValidation: opts.validation ?? false, context: merged });
  const deployment = createDeployment(
    app,
    parseSettings((k) => app.node.tryGetContext(k)),
    TEST_ACCOUNT,
  );
  app.synth();
  const made = { app, deployment };
  built.set(key, made);
  return made;
}

/**
 * The global deployment as `cdk synth` builds it (cdk.json context plus `context`), synthesised. Lambda
 * bundling and CDK's built-in CloudFormation schema validation (≈ 15 s) are skipped unless asked for:
 * unit tests assert the templates, and the one full synth test does both.
 */
export function testDeployment(
  opts: { context?: Record<string, unknown>; bundling?: boolean; validation?: boolean } = {},
) {
  const { app, deployment } = deploymentOf(opts.context ?? {}, opts);
  if (deployment.profile !== 'global')
    throw new Error(`testDeployment builds the global profile, not ${deployment.profile}`);
  const { profile: _, ...stacks } = deployment;
  return { app, ...stacks };
}

/**
 * The app as `cdk synth` builds it (cdk.json context plus `context`, the profile chosen by its region
 * through createDeployment), synthesised without bundling.
 */
export function synthProfile(context: Record<string, unknown> = {}) {
  return deploymentOf(context, {});
}

/** Whichever profile the context's region selects, synthesised without bundling: its stacks' templates. */
export function profileTemplates(context: Record<string, unknown> = {}) {
  const { app, deployment } = synthProfile(context);
  const stateless = Template.fromStack(deployment.stateless);
  const edge = 'edge' in deployment ? Template.fromStack(deployment.edge) : undefined;
  return { app, deployment, stateless, edge, stateful: Template.fromStack(deployment.stateful) };
}

export interface TemplateResource {
  Properties: Record<string, unknown>;
  [attribute: string]: unknown;
}

/** Every resource of a template with the given type, as `[logicalId, resource]` pairs. */
export function resourcesOf(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.findResources(type)).map(([id, r]) => [
    id,
    { ...r, Properties: r.Properties ?? {} },
  ]);
}

/** The properties of the one resource of a type; fails the test if there is not exactly one. */
export function singleResource(template: Template, type: string): TemplateResource {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as [string, TemplateResource])[1];
}

/** The service's own functions (those with a POWERTOOLS_SERVICE_NAME), not the CDK's helpers. */
export function serviceFunctionsOf(template: Template): [string, TemplateResource][] {
  return resourcesOf(template, 'AWS::Lambda::Function').filter(([, f]) =>
    JSON.stringify(f.Properties.Environment ?? {}).includes('POWERTOOLS_SERVICE_NAME'),
  );
}

/** A function's environment variables. */
export function envOf(f: TemplateResource): Record<string, unknown> {
  return (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The service function named `service`, as `[logicalId, resource]`; fails the test if there is none. */
export function serviceFunction(template: Template, service: string): [string, TemplateResource] {
  const found = serviceFunctionsOf(template).find(([, f]) => envOf(f).POWERTOOLS_SERVICE_NAME === service);
  if (!found) throw new Error(`no function ${service}`);
  return found;
}

/** The logical id of the role a function runs as. */
export function roleIdOf(f: TemplateResource): string {
  return (f.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

/** Every statement of the IAM policies attached to a role. */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
}

/** Every Allow statement in every IAM policy (inline and managed) and role of a template. */
export function allowStatements(
  template: Template,
): { Action: string[]; Resource: unknown[]; policy: string }[] {
  const out: { Action: string[]; Resource: unknown[]; policy: string }[] = [];
  const collect = (policy: string, doc: unknown) => {
    const statements = (doc as { Statement?: unknown[] } | undefined)?.Statement ?? [];
    for (const raw of statements) {
      const st = raw as { Effect?: string; Action?: string | string[]; Resource?: unknown };
      if (st.Effect !== 'Allow') continue;
      out.push({
        Action: [st.Action ?? []].flat(),
        Resource: [st.Resource ?? []].flat(),
        policy,
      });
    }
  };
  for (const [id, r] of resourcesOf(template, 'AWS::IAM::Policy')) collect(id, r.Properties.PolicyDocument);
  for (const [id, r] of resourcesOf(template, 'AWS::IAM::ManagedPolicy'))
    collect(id, r.Properties.PolicyDocument);
  for (const [id, r] of resourcesOf(template, 'AWS::IAM::Role')) {
    for (const p of (r.Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
      collect(id, p.PolicyDocument);
  }
  return out;
}

export { Template };
