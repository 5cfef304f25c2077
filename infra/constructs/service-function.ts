import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { rulebook } from '../../shared/rulebook/current.ts';
import { GSI_NAMES } from '../../shared/store/keys.ts';
import { FUNCTION_NAMES, functionEntry } from '../bundling.ts';

/** The repository root: entries, the lock file and tsconfig are resolved from here. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Metric namespace shared by every function (Powertools metrics). */
export const METRICS_NAMESPACE = 'YimeiCredit';

export type TableAccess = 'read' | 'write';

/**
 * The table actions each access level allows. Scan is deliberately absent from both: every access
 * pattern is a key lookup or a Query (docs/data-model.md), so no role needs it.
 */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
  write: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
};

export interface ServiceFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/public-api/handler.ts`. */
  entry: string;
  /** Powertools service name; also names the log group. */
  service: string;
  memorySize: number;
  timeout: Duration;
  environment?: Record<string, string>;
  description?: string;
  logRetention?: logs.RetentionDays;
  /** Concurrency kept for this function alone, which is also the most it may run at once. */
  reservedConcurrency?: number;
  /**
   * Leaves out Lambda's own start and report lines (warnings and errors still logged): for a function
   * invoked once per public lookup, they would cost more to ingest than its compute. Its duration,
   * errors and throttles stay in the function's metrics.
   */
  quietPlatformLogs?: boolean;
  /** Runs the function in these subnets (a fixed egress address through NAT, China profile). */
  vpc?: ec2.IVpc;
  vpcSubnets?: ec2.SubnetSelection;
}

/**
 * The function's code: the entry bundled with the options of infra/bundling.ts, the same ones `npm run
 * bundle` measures against the budgets. esbuild plugins (which those options use) need its asynchronous
 * API, so the bundles are built in a child process (`scripts/bundle.ts --all`): every function's at once,
 * the first time a synth asks for one, so a process that synthesises both profiles bundles each entry once.
 */
const BUNDLED = new Map<string, string>();

/** The rulebook is bundled in: the same entry for another city is another bundle. */
const bundleKey = (entry: string) => `${entry}\n${JSON.stringify(rulebook())}`;

function bundleEveryFunction(): void {
  const kept = mkdtempSync(join(tmpdir(), 'yimei-bundle-'));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/bundle.ts'), '--all', kept],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, RULEBOOK_JSON: JSON.stringify(rulebook()) },
    },
  );
  if (run.status !== 0) throw new Error(`bundling failed (exit ${run.status ?? run.signal})`);
  for (const name of FUNCTION_NAMES) BUNDLED.set(bundleKey(functionEntry(name)), join(kept, name));
}

export function bundledCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    // The hash of the bundle: the source tree (node_modules included) is never fingerprinted.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never run: local bundling always succeeds or fails the synth. The command names the entry, which
      // keys the CDK's asset cache (it cannot tell one `tryBundle` from another): one bundle per entry.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
      command: ['npx', 'tsx', 'scripts/bundle.ts', '--entry', entry, '--outfile', '/asset-output/index.mjs'],
      local: {
        tryBundle(outputDir) {
          if (!BUNDLED.has(bundleKey(entry))) bundleEveryFunction();
          const built = BUNDLED.get(bundleKey(entry));
          if (!built) throw new Error(`${entry} is not a function entry of infra/bundling.ts`);
          cpSync(built, outputDir, { recursive: true });
          return true;
        },
      },
    },
  });
}

/**
 * One Lambda function as every function of this service is built: esbuild without Docker, ESM,
 * arm64, Node 22, the AWS SDK v3 the runtime provides (infra/bundling.ts), its own role and log group,
 * and binds that grant exactly what the function uses.
 */
export class ServiceFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.SIX_MONTHS,
      // The log group belongs to the stateless stack: logs are kept for their retention, not forever.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of the default one: the managed AWSLambdaBasicExecutionRole may write
    // to any log group, this one only to its own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.service}`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.vpc) {
      // Lambda adds this only to roles it creates: the network interfaces of a function in a VPC.
      this.role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
      );
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'AWS defines the network-interface permissions a function in a VPC needs; EC2 grants them on no narrower resource.',
      });
    }

    this.fn = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      // Structured JSON logs on every function (Powertools writes JSON lines); no X-Ray in either profile.
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.quietPlatformLogs ? { systemLogLevelV2: lambda.SystemLogLevel.WARN } : {}),
      ...(props.vpc ? { vpc: props.vpc, vpcSubnets: props.vpcSubnets } : {}),
      description: props.description ?? props.service,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to the Node.js 22 LTS runtime the bundle targets (esbuild target node22); moving to a newer runtime is a deliberate, tested change.',
    });
  }

  /**
   * Item-level access to the table and each of its indexes: read (GetItem/Query) or read-write. With
   * `partitionPrefixes`, only to the base table's items whose partition key starts with one of them.
   */
  bindTable(table: ITable, access: TableAccess, key?: kms.IKey, partitionPrefixes?: readonly string[]): this {
    if (partitionPrefixes) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [...TABLE_ACTIONS[access]],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitionPrefixes.map((p) => `${p}*`) },
            // ForAllValues holds for a request naming no key at all: require one.
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        }),
      );
    } else {
      const resources = [table.tableArn, ...GSI_NAMES.map((g) => `${table.tableArn}/index/${g}`)];
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources }),
      );
    }
    if (key) this.bindKey(key, access === 'write' ? 'encrypt' : 'decrypt');
    return this;
  }

  /** Use of a customer-managed key: decrypt only, or encrypt as well (SSE-KMS writes, SNS publish). */
  bindKey(key: kms.IKey, use: 'decrypt' | 'encrypt'): this {
    const actions =
      use === 'decrypt'
        ? ['kms:Decrypt', 'kms:DescribeKey']
        : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [key.keyArn] }));
    return this;
  }

  /** Publish to one topic; a KMS-encrypted topic needs its key for the data key. */
  bindPublish(topic: sns.ITopic, key?: kms.IKey): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
    );
    if (key) this.bindKey(key, 'encrypt');
    return this;
  }

  /** Read one secret's current value. */
  bindSecret(secret: secretsmanager.ISecret, key?: kms.IKey): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [secret.secretArn],
      }),
    );
    if (key) this.bindKey(key, 'decrypt');
    return this;
  }
}
