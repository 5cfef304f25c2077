import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import type { NoticeLogger } from '#shared/notify/mask.ts';
import { NoticeOutbox, noticeOutboxJob, OutboxNotifier } from '#shared/notify/outbox.ts';
import type { NoticeIntent, Notifier } from '#shared/notify/port.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const intent = (n: number): NoticeIntent => ({
  uscc: '91330106MA2CFXKQ1P',
  kind: 'result_published',
  cycle: `r-${n}`,
  params: { grade: 'A', score: 96 },
  on: '2026-11-23',
});

/** A topic that refuses while `down` is true and records what it accepted. */
function flakyTopic() {
  const state = { down: true, accepted: [] as NoticeIntent[] };
  const notifier: Notifier = {
    async notify(intents) {
      if (state.down) throw new Error('NoticePublishError: 1 notice request(s) could not be published');
      state.accepted.push(...intents);
    },
  };
  return { state, notifier };
}

const quietLogger = (): NoticeLogger & { warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, info: () => {}, error: () => {}, warn: (m) => warnings.push(m) };
};

describe('notice outbox against dynalite', () => {
  const dynamo = useTestDynamo();
  let outbox: NoticeOutbox;

  beforeEach(async () => {
    outbox = new NoticeOutbox(dynamo.db, await dynamo.freshTable());
  });

  it('parks what the topic refuses instead of failing, and the job re-sends it once the topic is back', async () => {
    const topic = flakyTopic();
    const logger = quietLogger();
    const notifier = new OutboxNotifier(
      topic.notifier,
      outbox,
      fixedClock('2026-11-23T10:00:00+08:00'),
      logger,
    );
    await notifier.notify([intent(1), intent(2)]);
    await notifier.notify([intent(3)]);
    expect(logger.warnings).toHaveLength(2);
    expect((await outbox.list(10)).map((e) => e.intents.length).sort()).toEqual([1, 2]);

    const job = noticeOutboxJob(outbox, topic.notifier);
    const stillDown = await job.run('2026-11-23');
    expect(stillDown).toMatchObject({ batches: 2, resent: 0 });
    expect(stillDown.failed).toHaveLength(2);
    expect(await outbox.list(10)).toHaveLength(2);

    topic.state.down = false;
    expect(await job.run('2026-11-23')).toMatchObject({ batches: 2, resent: 3, failed: [] });
    expect(topic.state.accepted.map((i) => i.cycle).sort()).toEqual(['r-1', 'r-2', 'r-3']);
    expect(await outbox.list(10)).toEqual([]);
    expect(await job.run('2026-11-23')).toMatchObject({ batches: 0, resent: 0 });
  });

  it('passes straight through when the topic accepts', async () => {
    const topic = flakyTopic();
    topic.state.down = false;
    const notifier = new OutboxNotifier(
      topic.notifier,
      outbox,
      fixedClock('2026-11-23T10:00:00+08:00'),
      quietLogger(),
    );
    await notifier.notify([intent(7)]);
    expect(topic.state.accepted).toHaveLength(1);
    expect(await outbox.list(10)).toEqual([]);
  });
});
