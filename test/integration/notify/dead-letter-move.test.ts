import { describe, expect, it } from 'vitest';
import { NoticeClaimStore } from '#shared/notify/claims.ts';
import { moveDeadLetters } from '#shared/notify/dead-letters.ts';
import type { SendResult } from '#shared/notify/delivery.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import type { NoticeMessage } from '#shared/notify/message.ts';
import { createQueueHandler } from '#shared/notify/queue-handler.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { sqsRecord } from '../../support/notices.ts';
import { memoryQueues } from '../../support/queues.ts';

const DLQ = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/wechat-dead-letters';
const SOURCE = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/wechat-notices';

const notice = (to: string): NoticeMessage => ({
  v: 1,
  uscc: '91330106MA2CFXKQ1P',
  kind: 'downgraded',
  cycle: 'r-1',
  channel: 'wechat',
  to,
  params: { grade: 'C', score: 80 },
  on: '2026-11-23',
});

describe('a dead-lettered notice moved back to its queue', () => {
  const dynamo = useTestDynamo();

  it('is sent once: the move repeats messages rather than lose them, and the sender drops the repeats', async () => {
    const table = await dynamo.freshTable();
    const claims = new NoticeClaimStore(dynamo.db, table);
    let down = true;
    const sent: string[] = [];
    const handler = createQueueHandler({
      channel: 'wechat',
      delivery: {
        claims,
        sender: {
          channel: 'wechat',
          async send(m): Promise<SendResult> {
            if (down) throw new Error('WeChat API unreachable');
            sent.push(m.to);
            return { status: 'sent' };
          },
        },
        now: () => new Date('2026-12-01T02:00:00Z'),
        logger: silentLogger,
        leaseMs: 120_000,
        maxReceives: 5,
      },
    });
    const failing = notice('oFAILED');
    const delivered = notice('oDELIVERED');

    // The fifth failed attempt dead-letters the first notice; the second one was sent, yet a copy of
    // it sits in the dead-letter queue too (SNS's own dead-lettering, or a move that was cut short).
    const fifth = await handler({ Records: [sqsRecord('a', failing, { receiveCount: 5 })] });
    expect(fifth.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(await claims.get(failing)).toMatchObject({ state: 'dead_lettered' });
    down = false;
    expect((await handler({ Records: [sqsRecord('b', delivered)] })).batchItemFailures).toEqual([]);
    expect(sent).toEqual(['oDELIVERED']);

    const queues = memoryQueues();
    queues.put(DLQ, JSON.stringify(failing));
    queues.put(DLQ, JSON.stringify(delivered));
    // The first move's deletes fail: both messages stay, and the next move sends them again.
    queues.refuseDeletes(2);
    const route = { name: 'wechat-notices', from: DLQ, to: SOURCE };
    expect(await moveDeadLetters(queues.client, route)).toMatchObject({ moved: 2, undeleted: 2 });
    queues.expireVisibility();
    expect(await moveDeadLetters(queues.client, route)).toMatchObject({ moved: 2, undeleted: 0 });
    expect(queues.messages(DLQ)).toEqual([]);
    expect(queues.messages(SOURCE)).toHaveLength(4);

    expect((await handler(queues.drain(SOURCE))).batchItemFailures).toEqual([]);
    expect(sent).toEqual(['oDELIVERED', 'oFAILED']);
    expect(await claims.get(failing)).toMatchObject({ state: 'sent' });
  });
});
