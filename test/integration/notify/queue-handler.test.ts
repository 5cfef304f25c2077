import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { NoticeClaimStore } from '#shared/notify/claims.ts';
import type { ChannelSender, SendResult } from '#shared/notify/delivery.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import type { NoticeMessage } from '#shared/notify/message.ts';
import { createQueueHandler } from '#shared/notify/queue-handler.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import { sqsRecord } from '../../support/notices.ts';

function notice(n: number, overrides: Partial<NoticeMessage> = {}): NoticeMessage {
  return {
    v: 1,
    uscc: `91330106MA2CFXK${String(n).padStart(3, '0')}`,
    kind: 'review_due_30',
    cycle: '2027-01-10',
    channel: 'sms',
    to: `1390000${String(n).padStart(4, '0')}`,
    params: { due: '2027-01-10' },
    on: '2026-12-11',
    ...overrides,
  };
}

function record(id: string, body: unknown, receiveCount = 1, enveloped = false): SQSRecord {
  return sqsRecord(id, body, { receiveCount, enveloped, queue: 'notices-sms' });
}

/** A channel sender whose answer per address is scripted; it counts real sends. */
class ScriptedSender implements ChannelSender {
  readonly channel = 'sms' as const;
  readonly sent: string[] = [];
  constructor(private readonly script: Record<string, 'ok' | 'fail' | 'terminal'> = {}) {}
  async send(m: NoticeMessage): Promise<SendResult> {
    const action = this.script[m.to] ?? 'ok';
    if (action === 'fail') throw new Error(`gateway timeout for ${m.to}`);
    if (action === 'terminal') return { status: 'terminal', reason: `number ${m.to} is not in service` };
    this.sent.push(m.to);
    return { status: 'sent', providerId: `p-${m.to}` };
  }
}

describe('the sender queue handler (claim before send, partial batch failures)', () => {
  const dynamo = useTestDynamo();

  async function setup(
    script: Record<string, 'ok' | 'fail' | 'terminal'> = {},
    clock = { t: Date.parse('2026-12-11T01:00:00Z') },
  ) {
    const table = await dynamo.freshTable();
    const claims = new NoticeClaimStore(dynamo.db, table);
    const sender = new ScriptedSender(script);
    const handler = createQueueHandler({
      channel: 'sms',
      delivery: {
        claims,
        sender,
        now: () => new Date(clock.t),
        logger: silentLogger,
        leaseMs: 60_000,
        maxReceives: 3,
      },
    });
    const run = (records: SQSRecord[]) => handler({ Records: records } as SQSEvent);
    return { claims, sender, run, clock };
  }

  it('reports only the failed records, and records why', async () => {
    const { claims, sender, run } = await setup({ '13900000002': 'fail' });
    const out = await run([
      record('a', notice(1)),
      record('b', notice(2)),
      record('c', { v: 1, channel: 'sms' }),
      record('d', notice(4), 1, true),
    ]);
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['b', 'c']);
    expect(sender.sent.sort()).toEqual(['13900000001', '13900000004']);
    const failed = await claims.get(notice(2));
    expect(failed).toMatchObject({ state: 'retrying', attempts: 1, recipient: '139****0002' });
    expect(failed?.reason).toContain('139****0002');
    expect(failed?.reason).not.toContain('13900000002');
  });

  it('never sends a notice twice: a redelivery and a duplicate in the same batch are dropped', async () => {
    const { claims, sender, run } = await setup();
    await run([record('a', notice(1))]);
    const again = await run([record('a2', notice(1), 2), record('b', notice(2)), record('b2', notice(2))]);
    expect(sender.sent.filter((to) => to === '13900000001')).toHaveLength(1);
    expect(sender.sent.filter((to) => to === '13900000002')).toHaveLength(1);
    // The loser of the race for notice 2 finds a live claim and is retried later, when it is dropped.
    expect(again.batchItemFailures.length).toBeLessThanOrEqual(1);
    const later = await run([record('b3', notice(2), 2)]);
    expect(later.batchItemFailures).toEqual([]);
    expect(sender.sent.filter((to) => to === '13900000002')).toHaveLength(1);
    expect(await claims.get(notice(2))).toMatchObject({ state: 'sent' });
  });

  it('retries a transient failure on redelivery and ends sent', async () => {
    const script: Record<string, 'ok' | 'fail' | 'terminal'> = { '13900000001': 'fail' };
    const { claims, sender, run } = await setup(script);
    expect((await run([record('a', notice(1))])).batchItemFailures).toHaveLength(1);
    script['13900000001'] = 'ok';
    expect((await run([record('a', notice(1), 2)])).batchItemFailures).toEqual([]);
    expect(sender.sent).toEqual(['13900000001']);
    expect(await claims.get(notice(1))).toMatchObject({ state: 'sent', attempts: 2, reason: null });
  });

  it('settles a terminal refusal for good: failed_terminal with the reason, never sent again', async () => {
    const { claims, sender, run } = await setup({ '13900000001': 'terminal' });
    expect((await run([record('a', notice(1))])).batchItemFailures).toEqual([]);
    expect((await run([record('a', notice(1), 2)])).batchItemFailures).toEqual([]);
    const claim = await claims.get(notice(1));
    expect(claim).toMatchObject({ state: 'failed_terminal', attempts: 1 });
    expect(claim?.reason).toMatch(/not in service/);
    expect(sender.sent).toEqual([]);
  });

  it('marks the last attempt the queue allows as dead-lettered', async () => {
    const { claims, run } = await setup({ '13900000001': 'fail' });
    await run([record('a', notice(1), 3)]);
    expect(await claims.get(notice(1))).toMatchObject({ state: 'dead_lettered' });
  });

  it('takes over a claim left by a crashed sender once its lease has run out, not before', async () => {
    const { claims, sender, run, clock } = await setup();
    const crashed = await claims.claim(notice(1), new Date(clock.t), 60_000);
    expect(crashed.status).toBe('claimed');
    expect((await run([record('a', notice(1), 2)])).batchItemFailures).toHaveLength(1);
    expect(sender.sent).toEqual([]);
    clock.t += 61_000;
    expect((await run([record('a', notice(1), 3)])).batchItemFailures).toEqual([]);
    expect(sender.sent).toEqual(['13900000001']);
    expect(await claims.get(notice(1))).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('claims each address of an institution separately', async () => {
    const { sender, run } = await setup();
    await run([record('a', notice(1)), record('b', notice(1, { to: '13700000001' }))]);
    expect(sender.sent.sort()).toEqual(['13700000001', '13900000001']);
  });
});
