import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ServiceFunction, type ServiceFunctionProps, type TableAccess } from './service-function.ts';

/** What both profiles' tables of functions say of a function; each profile adds its own secrets and network. */
export interface FunctionSpec<Name extends string = string> {
  name: Name;
  memory: number;
  timeout: number;
  table: TableAccess;
  /** Holds its table access to the items under these partition-key prefixes. */
  partitions?: readonly string[];
  /** Topics it publishes to. */
  publish?: ('notices' | 'changes')[];
  /** Reads the cursor secret (at cold start, by its ARN): every function that serves or runs the API. */
  cursorSecret?: boolean;
  /** Concurrency kept for it and capping it: a flood of its requests cannot starve the other functions. */
  reservedConcurrency?: number;
  /** Invoked once per public lookup: without Lambda's start and report lines (ServiceFunction). */
  quietPlatformLogs?: boolean;
}

/** The stateful resources every function may use, the same in both profiles. */
export interface SharedState {
  table: dynamodb.ITable;
  key: kms.IKey;
  noticesTopic: sns.ITopic;
  changesTopic: sns.ITopic;
  cursorSecret: secretsmanager.ISecret;
}

/** `common` plus what the spec's topics and cursor secret tell the function. */
export function specEnvironment(
  spec: FunctionSpec,
  state: SharedState,
  common: Record<string, string>,
  guidanceContacts: string | undefined,
): Record<string, string> {
  const environment: Record<string, string> = { ...common };
  if (spec.publish?.includes('notices')) {
    environment.NOTICES_TOPIC_ARN = state.noticesTopic.topicArn;
    if (guidanceContacts) environment.GUIDANCE_CONTACTS = guidanceContacts;
  }
  if (spec.publish?.includes('changes')) environment.FEED_TOPIC_ARN = state.changesTopic.topicArn;
  if (spec.cursorSecret) environment.CURSOR_SECRET_ARN = state.cursorSecret.secretArn;
  return environment;
}

/** The function a spec describes (`functions/<name>/handler.ts`), bound to its table, topics and cursor secret. */
export function newSpecFunction(
  scope: Construct,
  spec: FunctionSpec,
  state: SharedState,
  environment: Record<string, string>,
  network: Pick<ServiceFunctionProps, 'vpc' | 'vpcSubnets'> = {},
): ServiceFunction {
  const fn = new ServiceFunction(scope, spec.name, {
    entry: `functions/${spec.name}/handler.ts`,
    service: spec.name,
    memorySize: spec.memory,
    timeout: Duration.seconds(spec.timeout),
    environment,
    ...network,
    ...(spec.reservedConcurrency === undefined ? {} : { reservedConcurrency: spec.reservedConcurrency }),
    ...(spec.quietPlatformLogs ? { quietPlatformLogs: true } : {}),
  });
  fn.bindTable(state.table, spec.table, state.key, spec.partitions);
  if (spec.publish?.includes('notices')) fn.bindPublish(state.noticesTopic, state.key);
  if (spec.publish?.includes('changes')) fn.bindPublish(state.changesTopic);
  if (spec.cursorSecret) fn.bindSecret(state.cursorSecret, state.key);
  return fn;
}
