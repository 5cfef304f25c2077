import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClientForFile } from '../support/aws-mock.ts';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '#shared/store/events.ts';
import { setHandlerEnv, TEST_JWT_SECRET } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

const sns = mockClientForFile(SNSClient);

describe('jobs Lambda handler running the feed relay', () => {
  const dynamo = useTestDynamo();
  let table: string;

  beforeAll(async () => {
    table = await dynamo.freshTable();
    setHandlerEnv(dynamo, table, {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      JWT_SECRET: TEST_JWT_SECRET,
      FEED_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:123456789012:yimei-credit-changes',
      NOTICES_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:123456789012:yimei-credit-notices',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });

  it('wakes on a scheduled event, pushes what is new, and fails the invocation when an entry stays unpublished', async () => {
    const { handler } = await import('#functions/jobs/handler.ts');
    const scheduled = { job: 'feed-relay' };
    expect(await handler(scheduled)).toMatchObject({ published: 0, watermark: 0 });

    const events = new EventStore(dynamo.db, table);
    for (let i = 0; i < 3; i++) {
      await events.append({
        key: `handler:${i}`,
        type: 'institution_registered',
        uscc: '91330106MA2CFXKQ1P',
        district: '拱墅区',
        occurredAt: '2026-11-23T10:00:00+08:00',
        before: null,
        after: { name: '拱墅测试医疗美容诊所' },
      });
    }
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
      Successful: (input.PublishBatchRequestEntries ?? [])
        .filter((e) => e.Id !== 'e3')
        .map((e) => ({ Id: e.Id, MessageId: 'm' })),
      Failed: [{ Id: 'e3', Code: 'InvalidParameter', Message: 'bad', SenderFault: true }],
    }));
    await expect(handler(scheduled)).rejects.toThrow(/1 item\(s\) failed/);
    expect(sns).toHaveReceivedCommandWith(PublishBatchCommand, {
      TopicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:yimei-credit-changes',
    });

    sns.reset();
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
      Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: 'm' })),
    }));
    expect(await handler(scheduled)).toMatchObject({ published: 1, watermark: 3 });
  });
});
