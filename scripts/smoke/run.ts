import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { shanghaiDate } from '#shared/domain/dates.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';
import { parseSettings } from '../../infra/settings.ts';
import { createDeployment } from '../../infra/stacks.ts';
import { serviceOpenApiDocument } from '../openapi-document.ts';
import { startFakeAws } from './fake-aws.ts';
import { type Check, type Fixtures, smokeProfile } from './harness.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
import { type Synthesised, templatesIn } from './templates.ts';

/** The context each profile is synthesised with (as `cdk synth -c ...` would be given it). */
export const PROFILES = {
  global: { region: 'ap-northeast-1', domainName: 'credit.smoke.invalid' },
  china: {
    region: 'cn-north-1',
    domainName: 'credit.smoke.cn',
    icpNumber: '浙ICP备00000000号',
    oidcIssuer: 'https://id.smoke.cn/realms/city',
    oidcAudience: 'yimei-credit',
    // A configured deployment (docs/deploy-china.md checklist): without these the SMS sender refuses to start.
    smsSignName: '杭州卫健',
  },
} as const;

/** Where the cloud assemblies go: inside the project, so a bundle resolves the SDK as Lambda's runtime provides it. */
export const SMOKE_DIR = join(PROJECT_ROOT, '.smoke');

/**
 * `cdk synth` of one profile, with the functions bundled as they are uploaded (each entry once per
 * process, whichever profile asks first), into `dir/<profile>`.
 */
export function synthesise(profile: keyof typeof PROFILES, dir = SMOKE_DIR): Synthesised {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: object };
  const outdir = join(dir, profile);
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, context: { ...cdkJson.context, ...PROFILES[profile] } });
  const deployment = createDeployment(
    app,
    parseSettings((k) => app.node.tryGetContext(k)),
    '000000000000',
  );
  app.synth();
  const stackNames = Object.values(deployment)
    .filter(
      (s): s is { stackName: string } & object => typeof s === 'object' && s !== null && 'stackName' in s,
    )
    .map((s) => s.stackName);
  return {
    profile,
    region: PROFILES[profile].region,
    templates: templatesIn(outdir, stackNames),
    assemblyDir: outdir,
  };
}

/**
 * What the synthesised profiles run against: a local table with a small demo register, one local
 * server for the AWS services and identity provider they call, and the runtime that loads their bundles.
 */
export async function startSmokeWorld(): Promise<Fixtures & { close(): Promise<void> }> {
  const dynamo = await startLocalDynamo();
  const tableName = 'yimei-credit-smoke';
  const db = createDocumentClient({ region: 'cn-north-1', endpoint: dynamo.endpoint });
  await ensureTable(db as never, tableName);
  const demo = buildDemoData({
    count: 24,
    today: shanghaiDate(new Date()),
    calendar: new WorkingDayCalendar(),
  });
  await loadDemoData(db, tableName, demo);
  const secretValues = {
    cursor: 'smoke-cursor-secret-value-0123456789abcdef',
    originVerify: 'smoke-origin-verify-value',
  };
  const fake = await startFakeAws({
    'smoke-cursor-secret': secretValues.cursor,
    'smoke-origin-verify': secretValues.originVerify,
    'smoke-wechat_secret_arn': JSON.stringify({
      appId: 'wxsmoke',
      appSecret: 'smoke',
      templateId: 'smoke-template',
    }),
    'smoke-sms_secret_arn': JSON.stringify({ accessKeyId: 'smoke', accessKeySecret: 'smoke' }),
  });
  const runtime = new LambdaRuntime(fake.url);
  const inPublicity = demo.results.find((r) => r.status === 'in_publicity');
  return {
    pathValues: {
      uscc: demo.profiles[0]?.uscc ?? '',
      resultId: inPublicity?.id ?? 'x',
      id: demo.results[0]?.id ?? 'x',
    },
    tableName,
    dynamoEndpoint: dynamo.endpoint,
    fake,
    secretValues,
    runtime,
    document: await serviceOpenApiDocument(),
    close: async () => {
      runtime.close();
      await fake.close();
      db.destroy();
      await dynamo.close();
    },
  };
}

/** Runs the synthesised profiles in a fresh local world: what they would do in the first minute on AWS. */
export async function runSmoke(profiles: Synthesised[]): Promise<Check[]> {
  const world = await startSmokeWorld();
  try {
    const checks: Check[] = [];
    for (const profile of profiles) checks.push(...(await smokeProfile(profile, world)));
    return checks;
  } finally {
    await world.close();
  }
}
