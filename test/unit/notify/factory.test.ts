import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { createNotifier } from '#shared/notify/factory.ts';
import { silentLogger } from '#shared/notify/mask.ts';

const sns = mockClient(SNSClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => sns.restore());
const config = { TABLE_NAME: 't', AWS_REGION: 'cn-north-1', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' };
const TOPIC = 'arn:aws-cn:sns:cn-north-1:123456789012:notices';

describe('createNotifier', () => {
  beforeEach(() => sns.reset());

  it('publishes to the topic named in the configuration', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
    const notifier = createNotifier(config, {
      notifyConfig: loadNotifyConfig({
        NOTICES_TOPIC_ARN: TOPIC,
        GUIDANCE_CONTACTS: '{"phones":["13800000000"]}',
      }),
      logger: silentLogger,
    });
    await notifier.notify([
      { uscc: 'U1', kind: 'publicity_ended', cycle: 'r-1', params: {}, on: '2026-12-01' },
    ]);
    expect(sns).toHaveReceivedCommandWith(PublishBatchCommand, { TopicArn: TOPIC });
  });

  it('fails at cold start, naming the variable, when no topic is configured', () => {
    expect(() => createNotifier(config, { notifyConfig: loadNotifyConfig({}) })).toThrow(/NOTICES_TOPIC_ARN/);
  });
});
