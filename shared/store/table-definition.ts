import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { GSI_NAMES } from './keys.ts';

/**
 * The table as the local server and the tests create it. infra/ declares the same layout for AWS;
 * test/infra checks the two agree.
 */
/** Epoch seconds after which DynamoDB may delete an item (short-lived counters such as objection quotas). */
export const TTL_ATTRIBUTE = 'expiresAt';

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      ...GSI_NAMES.flatMap((g) => [
        { AttributeName: `${g}pk`, AttributeType: 'S' as const },
        { AttributeName: `${g}sk`, AttributeType: 'S' as const },
      ]),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GSI_NAMES.map((g) => ({
      IndexName: g,
      KeySchema: [
        { AttributeName: `${g}pk`, KeyType: 'HASH' as const },
        { AttributeName: `${g}sk`, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
