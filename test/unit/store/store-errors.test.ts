import { ConditionalCheckFailedException, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { EventStore } from '#shared/store/events.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { InstitutionWriter } from '#shared/store/institution-writer.ts';
import { privateFixture, profileFixture } from '../../support/profiles.ts';

const ddb = mockClient(DynamoDBDocumentClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => ddb.restore());
const db = createDocumentClient({ region: 'cn-north-1' });

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () =>
  new DynamoDBServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: {},
  });

describe('store error handling with a mocked DynamoDB', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('reads a profile with one GetItem on its key and strips storage attributes', async () => {
    const p = profileFixture();
    ddb
      .on(GetCommand)
      .resolves({ Item: { pk: `I#${p.uscc}`, sk: 'PROFILE', gsi1pk: 'x', gradeKey: 'U', ...p } });
    const got = await new InstitutionReader(db, 'T').getProfile(p.uscc);
    expect(got).toEqual(p);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'T',
      Key: { pk: `I#${p.uscc}`, sk: 'PROFILE' },
    });
  });

  it('turns a failed version condition into a ConflictError and writes no search items', async () => {
    const p = profileFixture();
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(
      new InstitutionWriter(db, 'T').saveProfile(p, { ...p, address: 'x' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': p.version },
    });
  });

  it('lets throttling surface to the caller instead of reporting success', async () => {
    const p = profileFixture();
    ddb.on(PutCommand).rejects(throttled());
    await expect(new InstitutionWriter(db, 'T').create(p, privateFixture(p.uscc))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  it('never lets a stale register row overwrite a newer one, bumps the version by compare-and-set, then settles the tally', async () => {
    const p = profileFixture({ version: 3 });
    ddb.on(GetCommand).resolves({ Item: { v: 41, recent: [] } });
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: { T: [] } });
    await new InstitutionWriter(db, 'T').reindex(null, p);
    const row = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(row?.Key).toEqual({ pk: expect.stringMatching(/^ROW#/), sk: p.uscc });
    expect(row?.ConditionExpression).toBe('attribute_not_exists(pk) OR #v <= :v');
    expect(row?.ExpressionAttributeValues).toMatchObject({ ':uscc': p.uscc, ':v': 3 });
    // The row is updated field by field, so the statistics' mark on it stays.
    expect(row?.UpdateExpression).not.toContain('counted');
    const [version] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(version?.Item).toMatchObject({ v: 42, recent: [{ s: 42, u: p.uscc }] });
    expect(version?.ConditionExpression).toBe('v = :v');
    expect(version?.ExpressionAttributeValues).toEqual({ ':v': 41 });
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        T: { Keys: [{ pk: expect.stringMatching(/^ROW#/), sk: p.uscc }], ConsistentRead: true },
      },
    });
  });

  it('retries the next sequence slot when another appender took it', async () => {
    ddb.on(GetCommand).resolves({});
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ sk: 'E#000000000004' }] })
      .resolves({ Items: [{ sk: 'E#000000000005' }] });
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const written = await new EventStore(db, 'T').append({
      key: 'published:r9',
      type: 'published',
      uscc: 'U',
      district: '西湖区',
      occurredAt: '2026-11-23T10:00:00.000+08:00',
      before: null,
      after: null,
    });
    expect(written.seq).toBe(6);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: { ':seq': 6 } });
  });
});
