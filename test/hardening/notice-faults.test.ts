import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { NoticeClaimStore } from '#shared/notify/claims.ts';
import { ContactDirectory } from '#shared/notify/contacts.ts';
import { type ChannelSender, deliverNotice, NoticeBusyError } from '#shared/notify/delivery.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import type { NoticeMessage } from '#shared/notify/message.ts';
import type { NoticeIntent } from '#shared/notify/port.ts';
import { SnsNotifier } from '#shared/notify/sns-notifier.ts';
import { WeChatClient, WeChatSender } from '#shared/notify/wechat.ts';
import { InstitutionWriter } from '#shared/store/institution-writer.ts';
import { mockClientForFile } from '../support/aws-mock.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { wechatPublished } from '../support/notice-messages.ts';
import { privateFixture, profileFixture } from '../support/profiles.ts';
import { FAULT_MODES, faultyClient, nthFault } from './support/fault-injection.ts';

/**
 * The notice pipeline under faults: the notifier's contact lookup with DynamoDB faults while SNS
 * fails part of a PublishBatch; the sender's claim → send → mark path with a DynamoDB fault at each
 * call; a WeChat API that never answers. After the retries the pipeline makes (the caller's or the
 * outbox job's re-notify, the queue's redelivery) every notice is delivered, none is lost or marked
 * sent without being sent.
 */
const LEASE_MS = 60_000;

const sns = mockClientForFile(SNSClient);

const message = wechatPublished();

describe('the notice pipeline under faults', () => {
  const dynamo = useTestDynamo();
  beforeEach(() => sns.reset());

  it('publishes every message after contact-lookup faults and a partly failed PublishBatch', async () => {
    const table = await dynamo.freshTable();
    const writer = new InstitutionWriter(dynamo.db, table);
    const intents: NoticeIntent[] = [];
    for (let i = 0; i < 6; i++) {
      const p = profileFixture({ name: `通知故障医疗美容诊所${i}` });
      await writer.create(p, {
        ...privateFixture(p.uscc),
        contacts: { phones: [`1380000000${i}`], wechatOpenIds: [`o-openid-${i}`] },
      });
      intents.push({ uscc: p.uscc, kind: 'result_published', cycle: `r-${i}`, params: {}, on: '2026-11-23' });
    }
    const published: string[] = [];
    let batches = 0;
    sns
      .on(PublishBatchCommand)
      .callsFake(async (input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
        batches++;
        const entries = input.PublishBatchRequestEntries;
        // The first batch of every run loses its odd entries (SNS-side, retryable); the rest go through.
        const failing = batches === 1 ? entries.filter((_, i) => i % 2 === 1) : [];
        const ok = entries.filter((e) => !failing.includes(e));
        for (const e of ok) {
          const m = JSON.parse(e.Message ?? 'null') as NoticeMessage;
          published.push(`${m.uscc}|${m.cycle}|${m.channel}|${m.to}`);
        }
        return {
          Successful: ok.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
          Failed: failing.map((e) => ({
            Id: e.Id,
            Code: 'InternalError',
            SenderFault: false,
            Message: 'try again',
          })),
        };
      });
    const notifier = (db: typeof dynamo.db) =>
      new SnsNotifier({
        sns: new SNSClient({ region: 'cn-north-1' }),
        topicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:notices',
        contacts: new ContactDirectory(db, table),
        guidance: { phones: [], wechatOpenIds: [] },
        logger: silentLogger,
        sleep: async () => {},
      });

    await notifier(dynamo.db).notify(intents);
    const expected = [...new Set(published)].sort();
    expect(expected).toHaveLength(12);

    let i = 0;
    for (const mode of FAULT_MODES) {
      const fault = nthFault(i++);
      published.length = 0;
      batches = 0;
      const faults = faultyClient(dynamo.db);
      faults.arm({ at: 0, fault, mode });
      // The lookup fails: nothing is published, the caller (or the outbox job) notifies again.
      await expect(notifier(faults.db).notify(intents)).rejects.toThrow();
      expect(published).toEqual([]);
      faults.disarm();
      await notifier(faults.db).notify(intents);
      expect([...new Set(published)].sort(), `${fault} ${mode}`).toEqual(expected);
    }
  });

  it('delivers a message once after a DynamoDB fault at each call of claim → send → mark', async () => {
    const sends: string[] = [];
    const sender: ChannelSender = {
      channel: 'wechat',
      send: async (m) => {
        sends.push(m.cycle);
        return { status: 'sent', providerId: 'p-1' };
      },
    };
    const reference = faultyClient(dynamo.db);
    const table0 = await dynamo.freshTable();
    const clock = { now: new Date('2026-11-23T02:00:00Z') };
    const ctx = (db: typeof dynamo.db, table: string) => ({
      claims: new NoticeClaimStore(db, table),
      sender,
      now: () => clock.now,
      logger: silentLogger,
      leaseMs: LEASE_MS,
    });
    expect(await deliverNotice(message, ctx(reference.db, table0))).toBe('sent');
    const calls = [...reference.calls];
    expect(calls).toEqual(['UpdateCommand', 'UpdateCommand']);

    let i = 0;
    for (let at = 0; at < calls.length; at++) {
      for (const mode of FAULT_MODES) {
        const fault = nthFault(i++);
        const label = `${fault} ${mode} call ${at}`;
        const table = await dynamo.freshTable();
        const faults = faultyClient(dynamo.db);
        sends.length = 0;
        faults.arm({ at, fault, mode });
        await expect(deliverNotice(message, ctx(faults.db, table)), label).rejects.toThrow();
        faults.disarm();
        // The queue redelivers; a claim whose holder died is taken over once its lease has run out.
        let outcome: string | null = null;
        for (let attempt = 0; attempt < 3 && !outcome; attempt++) {
          try {
            outcome = await deliverNotice(message, ctx(faults.db, table));
          } catch (err) {
            expect(err, label).toBeInstanceOf(NoticeBusyError);
            clock.now = new Date(clock.now.getTime() + LEASE_MS + 1);
          }
        }
        expect(['sent', 'duplicate'], label).toContain(outcome);
        const record = await new NoticeClaimStore(dynamo.db, table).get(message);
        expect(record?.state, label).toBe('sent');
        // Sent once — except when the mark after a successful send never reached the table: the
        // claim then looks like a crashed send and is sent again after its lease (at least once).
        const markLost = at === 1 && mode === 'before';
        expect(sends.length, label).toBe(markLost ? 2 : 1);
      }
    }
  });

  it('retries a message whose WeChat send timed out; it is neither lost nor marked sent', async () => {
    let answering = false;
    const sent: string[] = [];
    const server: Server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        if (!answering) return; // never answers: the sender must give up on its own
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url?.startsWith('/cgi-bin/stable_token')) {
          res.end(JSON.stringify({ access_token: 'TOKEN', expires_in: 7200 }));
        } else {
          sent.push(raw);
          res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: 7 }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new WeChatClient({
        baseUrl: `http://127.0.0.1:${port}`,
        credentials: async () => ({ appId: 'wxAPP', appSecret: 'SECRET' }),
        timeoutMs: 200,
      });
      const table = await dynamo.freshTable();
      const claims = new NoticeClaimStore(dynamo.db, table);
      const ctx = {
        claims,
        sender: new WeChatSender(client, { templateId: 'TPL-1' }),
        now: () => new Date('2026-11-23T02:00:00Z'),
        logger: silentLogger,
        leaseMs: LEASE_MS,
      };
      await expect(deliverNotice(message, ctx)).rejects.toThrow(/timeout|aborted/i);
      const failed = await claims.get(message);
      expect(failed?.state).toBe('retrying');
      expect(failed?.sentAt).toBeNull();

      answering = true;
      expect(await deliverNotice(message, ctx)).toBe('sent');
      expect(sent).toHaveLength(1);
      expect((await claims.get(message))?.state).toBe('sent');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
