import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import type { GradingResult, InstitutionProfile } from '#shared/domain/model.ts';
import { problemFor } from '#shared/http/problem.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { EventAppendInProgressError, EventStore, type NewChangeEvent } from '#shared/store/events.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { InstitutionWriter } from '#shared/store/institution-writer.ts';
import { ResultStore } from '#shared/store/results.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { privateFixture, profileFixture } from '../support/profiles.ts';
import { searchRegister } from '../support/register-search.ts';
import { FAULT_MODES, faultyClient, nthFault } from './support/fault-injection.ts';

/**
 * Each store operation is run once with a DynamoDB fault at each of its calls (before the call
 * reaches the table, and after a write was applied but its answer lost), then retried the way its
 * caller would. The outcome must equal a fault-free run: complete, or clearly failed and retryable;
 * never half-written, never duplicated. docs/operations.md "Failure behaviour" says what each retry does.
 *
 * A new operation is covered by adding a `Scenario`.
 */
interface Scenario {
  name: string;
  /** Arranges state through the healthy client, then returns the operation to break. */
  arrange(ctx: Ctx): Promise<() => Promise<unknown>>;
  /** The retry the caller makes after a failure (defaults to the same call). */
  retry?: (ctx: Ctx, op: () => Promise<unknown>) => Promise<unknown>;
  /** Reads the outcome through the healthy client, as comparable JSON. */
  outcome(ctx: Ctx): Promise<unknown>;
}

interface Ctx {
  table: string;
  /** Stores on the fault-injecting client. */
  faulty: Stores;
  /** Stores on the healthy client. */
  healthy: Stores;
  clock: { now: Date };
  data: Record<string, unknown>;
}

interface Stores {
  events: EventStore;
  writer: InstitutionWriter;
  reader: InstitutionReader;
  results: ResultStore;
}

const event = (key: string, uscc = '91330106MA27XXXXXX'): NewChangeEvent => ({
  key,
  type: 'published',
  uscc,
  district: '西湖区',
  occurredAt: '2026-11-23T10:00:00.000+08:00',
  before: null,
  after: { grade: 'B', score: 88 },
});

async function feed(s: Stores) {
  const { items } = await s.events.list({ afterSeq: 0, limit: 50, consistent: true });
  return items.map((e) => ({ seq: e.seq, type: e.type, uscc: e.uscc }));
}

async function searchNames(s: Stores, q: string) {
  return (await searchRegister(s.reader, q)).map((i) => `${i.uscc}:${i.name}:${i.grade}`).sort();
}

async function institution(s: Stores, p: InstitutionProfile) {
  return {
    profile: await s.reader.getProfile(p.uscc),
    private: await s.reader.getPrivate(p.uscc),
    byName: await searchNames(s, p.name.slice(0, 4)),
  };
}

/** A retry that may be answered 409 because the first attempt's write did apply. */
async function conflictAllowed(_ctx: Ctx, op: () => Promise<unknown>) {
  await op().catch((err: unknown) => expect(err).toBeInstanceOf(ConflictError));
}

const SCENARIOS: Scenario[] = [
  {
    name: 'EventStore.append',
    async arrange(ctx) {
      await ctx.healthy.events.append(event('earlier'));
      return () => ctx.faulty.events.append(event('under-test'));
    },
    // A claim left without its event holds off retries for 30 s (another appender may still be at
    // work); after that a retry takes it over and finishes or adopts the event already written.
    async retry(ctx, op) {
      try {
        return await op();
      } catch (err) {
        expect(err).toBeInstanceOf(EventAppendInProgressError);
        // A request that meets it is told to retry (409), never given a 500.
        expect(problemFor(err).status).toBe(409);
        ctx.clock.now = new Date(ctx.clock.now.getTime() + 31_000);
        return op();
      }
    },
    outcome: (ctx) => feed(ctx.healthy),
  },
  {
    name: 'InstitutionWriter.create',
    async arrange(ctx) {
      const p = profileFixture({ name: '故障注入医疗美容诊所', aliases: ['故障别名'] });
      ctx.data.p = p;
      return () => ctx.faulty.writer.create(p, privateFixture(p.uscc));
    },
    // After a lost answer the retry is told 409 (already registered), with everything completed.
    retry: conflictAllowed,
    outcome: (ctx) => institution(ctx.healthy, ctx.data.p as InstitutionProfile),
  },
  {
    name: 'InstitutionWriter.saveProfile',
    async arrange(ctx) {
      const p = profileFixture({ name: '故障注入医疗美容诊所', aliases: ['旧的别名'] });
      await ctx.healthy.writer.create(p, privateFixture(p.uscc));
      ctx.data.p = p;
      return () => ctx.faulty.writer.saveProfile(p, { ...p, grade: 'B', score: 88.5, aliases: ['新的别名'] });
    },
    retry: conflictAllowed,
    outcome: async (ctx) => ({
      ...(await institution(ctx.healthy, ctx.data.p as InstitutionProfile)),
      oldAlias: await searchNames(ctx.healthy, '旧的别名'),
      newAlias: await searchNames(ctx.healthy, '新的别名'),
    }),
  },
  {
    name: 'InstitutionWriter.reindex',
    async arrange(ctx) {
      const p = profileFixture({ name: '故障注入医疗美容诊所', aliases: ['旧的别名'] });
      await ctx.healthy.writer.create(p, privateFixture(p.uscc));
      const next = { ...p, aliases: ['新的别名'], version: 2 };
      ctx.data.p = p;
      return () => ctx.faulty.writer.reindex(p, next);
    },
    outcome: async (ctx) => ({
      oldAlias: await searchNames(ctx.healthy, '旧的别名'),
      newAlias: await searchNames(ctx.healthy, '新的别名'),
    }),
  },
  {
    name: 'ResultStore.replace',
    async arrange(ctx) {
      const id = `r-${Math.random().toString(36).slice(2, 10)}`;
      const r = resultFixture(id);
      await ctx.healthy.results.create(r);
      ctx.data.id = id;
      return () =>
        ctx.faulty.results.replace(r, {
          ...r,
          status: 'in_publicity',
          publicity: { startOn: '2026-11-24', endOn: '2026-11-30' },
        } as typeof r);
    },
    // One conditional put: applied or not, never half. A retry by the caller after the answer was
    // lost is a 409 (the result already moved on); the SDK's own retry is recognised (below).
    retry: conflictAllowed,
    outcome: async (ctx) => {
      const r = await ctx.healthy.results.get(ctx.data.id as string);
      return { status: r?.status, version: r?.version, publicity: r?.publicity };
    },
  },
];

describe('store operations under DynamoDB faults', () => {
  const dynamo = useTestDynamo();

  async function context() {
    const table = await dynamo.freshTable();
    const faults = faultyClient(dynamo.db);
    const clock = { now: new Date('2026-11-23T02:00:00Z') };
    const stores = (db: typeof dynamo.db): Stores => ({
      events: new EventStore(db, table, () => clock.now),
      writer: new InstitutionWriter(db, table),
      reader: new InstitutionReader(db, table),
      results: new ResultStore(db, table),
    });
    const ctx: Ctx = { table, faulty: stores(faults.db), healthy: stores(dynamo.db), clock, data: {} };
    return { ctx, faults };
  }

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: a retry after a fault at any call ends as a fault-free run does`, async () => {
      const reference = await context();
      const run = await scenario.arrange(reference.ctx);
      reference.faults.disarm();
      await run();
      const calls = [...reference.faults.calls];
      const expected = await scenario.outcome(reference.ctx);
      // Points to break: every call of short operations; first, middle and last of long ones.
      const points =
        calls.length <= 8 ? calls.map((_, i) => i) : [0, 1, Math.floor(calls.length / 2), calls.length - 1];
      let i = 0;
      for (const at of points) {
        for (const mode of FAULT_MODES) {
          const fault = nthFault(i++);
          const { ctx, faults } = await context();
          const op = await scenario.arrange(ctx);
          faults.arm({ at, fault, mode });
          const label = `${fault} ${mode} call ${at} (${calls[at]})`;
          await expect(op(), label).rejects.toThrow();
          faults.disarm();
          await (scenario.retry ?? ((_c, o) => o()))(ctx, op);
          // Outcomes hold fresh uscc/ids per run: compare them with the run's own names.
          expect(normalise(await scenario.outcome(ctx), ctx), label).toEqual(
            normalise(expected, reference.ctx),
          );
        }
      }
    });
  }
});

function resultFixture(id: string): GradingResult {
  return {
    id,
    uscc: '91330106MA27XXXXXX',
    kind: 'clinic',
    district: '西湖区',
    score: 88,
    grade: 'B',
    reason: 'initial',
    assessedOn: '2026-11-01',
    status: 'rechecked',
    publicity: null,
    createdAt: '2026-11-01T10:00:00.000+08:00',
    version: 1,
  } as unknown as GradingResult;
}

describe('a write the SDK retried after its answer was lost', () => {
  const dynamo = useTestDynamo();

  it('is reported as done, while an identical racing write still loses', async () => {
    const table = await dynamo.freshTable();
    const db = createDocumentClient({ region: 'cn-north-1', endpoint: dynamo.server.endpoint });
    let loseNextAnswer = false;
    // Inside the SDK's retry loop: the put is applied, then its answer is lost as a 500.
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (loseNextAnswer && context.commandName === 'PutItemCommand') {
          loseNextAnswer = false;
          throw Object.assign(new Error('We encountered an internal error'), {
            name: 'InternalServerError',
            $fault: 'server',
            $metadata: { httpStatusCode: 500 },
            $retryable: {},
          });
        }
        return out;
      },
      { step: 'deserialize', name: 'loseOneAnswer' },
    );
    const store = new ResultStore(db, table);
    const r = resultFixture('r-sdk-retry');
    await store.create(r);
    const next = { ...r, status: 'in_publicity', publicity: { startOn: '2026-11-24', endOn: '2026-11-30' } };
    loseNextAnswer = true;
    const stored = await store.replace(r, next as GradingResult);
    expect(stored).toMatchObject({ status: 'in_publicity', version: 2 });
    expect(loseNextAnswer).toBe(false);
    // The same transition by another caller that read version 1 is a conflict, not a second success.
    await expect(store.replace(r, next as GradingResult)).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get(r.id))?.version).toBe(2);
    db.destroy();
  });
});

/** Replaces the ids that differ between runs (fixture usccs, result ids) by placeholders. */
function normalise(value: unknown, ctx: Ctx): unknown {
  let text = JSON.stringify(value);
  const p = ctx.data.p as InstitutionProfile | undefined;
  if (p) text = text.replaceAll(p.uscc, '<uscc>');
  if (typeof ctx.data.id === 'string') text = text.replaceAll(ctx.data.id, '<id>');
  return JSON.parse(text);
}
