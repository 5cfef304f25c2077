import {
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

/** The errors DynamoDB answers under load or failure, as the SDK raises them after its own retries. */
export const DYNAMO_FAULTS = {
  ThrottlingException: () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }),
  ProvisionedThroughputExceededException: () =>
    new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} }),
  InternalServerError: () => new InternalServerError({ message: 'Internal server error', $metadata: {} }),
} as const;
export type DynamoFault = keyof typeof DYNAMO_FAULTS;

/**
 * `before`: the call fails without reaching the table. `after`: the write is applied and the answer
 * is lost (a timeout or a 500 after commit), the case that makes a naive retry duplicate or conflict.
 */
export type FaultMode = 'before' | 'after';

/** Both modes, in the order the fault walks try them. */
export const FAULT_MODES: FaultMode[] = ['before', 'after'];

/** The `n`-th fault of a walk that cycles through every DynamoDB fault. */
export function nthFault(n: number): DynamoFault {
  const names = Object.keys(DYNAMO_FAULTS) as DynamoFault[];
  return names[n % names.length] as DynamoFault;
}

export interface FaultPlan {
  /** 0-based index of the call to fail. */
  at: number;
  fault: DynamoFault;
  mode: FaultMode;
}

const COMMANDS = [
  GetCommand,
  PutCommand,
  UpdateCommand,
  DeleteCommand,
  QueryCommand,
  BatchWriteCommand,
  BatchGetCommand,
];

/**
 * A document client mocked with aws-sdk-client-mock that forwards every call to `real` (dynalite)
 * and fails the call the plan names. `calls` lists the commands seen, for choosing fault points.
 */
export function faultyClient(real: DynamoDBDocumentClient) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
  const mock = mockClient(db);
  let plan: FaultPlan | null = null;
  const calls: string[] = [];
  for (const Command of COMMANDS) {
    mock.on(Command as never).callsFake(async (input: unknown) => {
      const n = calls.length;
      calls.push(Command.name);
      const hit = plan !== null && plan.at === n;
      if (hit && plan?.mode === 'before') throw DYNAMO_FAULTS[plan.fault]();
      const out = await real.send(new (Command as unknown as new (i: unknown) => PutCommand)(input));
      if (hit && plan) throw DYNAMO_FAULTS[plan.fault]();
      return out;
    });
  }
  return {
    db,
    calls,
    /** Arms one fault for the next calls, counted from now. */
    arm(next: Omit<FaultPlan, 'at'> & { at: number }) {
      calls.length = 0;
      plan = next;
    },
    disarm() {
      plan = null;
      calls.length = 0;
    },
  };
}
