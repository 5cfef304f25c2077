import { describe, expect, it } from 'vitest';
import { buildPublicDeps } from '#shared/bootstrap.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { GradingResult } from '#shared/domain/model.ts';
import { createPublicApp } from '#shared/http/app.ts';
import { EventStore, type NewChangeEvent } from '#shared/store/events.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { InstitutionWriter } from '#shared/store/institution-writer.ts';
import { ResultStore } from '#shared/store/results.ts';
import { testConfig } from '../support/config.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { privateFixture, profileFixture } from '../support/profiles.ts';
import { searchRegister } from '../support/register-search.ts';

const RACERS = 20;

const event = (key: string, uscc: string, type: NewChangeEvent['type'] = 'published'): NewChangeEvent => ({
  key,
  type,
  uscc,
  district: '西湖区',
  occurredAt: '2026-11-23T10:00:00.000+08:00',
  before: null,
  after: { grade: 'B', score: 88 },
});

/** Every event of the public change feed, following `nextCursor` from the start. */
async function publicFeed(app: ReturnType<typeof createPublicApp>) {
  const seen: Array<{ id: string; type: string; uscc: string }> = [];
  let url = '/v1/changes?limit=7';
  for (let page = 0; page < 50; page++) {
    const res = await app.request(url);
    expect(res.status).toBe(200);
    const b = await body(res);
    seen.push(
      ...b.items.map((e: { id: string; type: string; uscc: string }) => ({
        id: e.id,
        type: e.type,
        uscc: e.uscc,
      })),
    );
    if (b.items.length === 0 || !b.nextCursor) break;
    url = `/v1/changes?limit=7&since=${encodeURIComponent(b.nextCursor)}`;
  }
  return seen;
}

describe('concurrent writers against dynalite', () => {
  const dynamo = useTestDynamo();

  async function setup() {
    const table = await dynamo.freshTable();
    const deps = buildPublicDeps(testConfig({ TABLE_NAME: table }), dynamo.db);
    return {
      table,
      writer: new InstitutionWriter(dynamo.db, table),
      reader: new InstitutionReader(dynamo.db, table),
      events: new EventStore(dynamo.db, table),
      results: new ResultStore(dynamo.db, table),
      app: createPublicApp(deps, { error: () => {} }),
    };
  }

  it(`lets one of ${RACERS} saves of the same profile version win, and indexes only the winner`, async () => {
    const s = await setup();
    const p = profileFixture({ name: '竞速医疗美容诊所' });
    await s.writer.create(p, privateFixture(p.uscc));
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, i) =>
        s.writer.saveProfile(p, {
          ...p,
          name: `竞速${String.fromCharCode(0x4e00 + i)}医疗美容诊所`,
          score: i,
        }),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<InstitutionWriter['saveProfile']>>>)
      .value;
    const stored = await s.reader.getProfile(p.uscc, true);
    expect(stored).toEqual(winner);
    expect(stored?.version).toBe(2);
    const hits = await searchRegister(s.reader, '竞速');
    expect(hits.map((h) => h.name)).toEqual([winner.name]);
  });

  it(`lets one of ${RACERS} identical saves of the same version win (a duplicate request is a 409)`, async () => {
    const s = await setup();
    const p = profileFixture({ name: '重复提交医疗美容诊所' });
    await s.writer.create(p, privateFixture(p.uscc));
    const next = { ...p, grade: 'C' as const, score: 80 };
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, () => s.writer.saveProfile(p, next)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
    expect(await s.reader.getProfile(p.uscc, true)).toEqual({ ...next, version: 2 });
  });

  it(`appends one event for ${RACERS} concurrent appends of the same key`, async () => {
    const s = await setup();
    await s.events.append(event('first', '91330106MA27AAAAAA'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, () => s.events.append(event('same-key', '91330106MA27BBBBBB'))),
    );
    // Losers either get the winner's event or are told it is being appended (retryable).
    const appended = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value.seq);
    expect(appended.length).toBeGreaterThan(0);
    expect(new Set(appended)).toEqual(new Set([2]));
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as Error).name).toBe('EventAppendInProgressError');
    }
    expect((await s.events.append(event('same-key', '91330106MA27BBBBBB'))).seq).toBe(2);
    expect(await s.events.headSeq()).toBe(2);
    expect((await publicFeed(s.app)).map((e) => e.id)).toEqual(['1', '2']);
  });

  it(`gives ${RACERS} concurrent appends of different keys contiguous numbers, each once in the feed`, async () => {
    const s = await setup();
    const appended = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        s.events.append(event(`k${i}`, `91330106MA27${String(i).padStart(6, '0')}`)),
      ),
    );
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: RACERS }, (_, i) => i + 1),
    );
    const feed = await publicFeed(s.app);
    expect(feed.map((e) => e.id)).toEqual(Array.from({ length: RACERS }, (_, i) => String(i + 1)));
    expect(new Set(feed.map((e) => e.uscc)).size).toBe(RACERS);
  });

  it('lets one of racing transitions of a result win, and the feed records only the winner', async () => {
    const s = await setup();
    const r = {
      id: 'r-race',
      uscc: '91330106MA27CCCCCC',
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
    await s.results.create(r);
    // Half start the publicity, half withdraw; the workflow appends an event only after its write won.
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, async (_, i) => {
        const next =
          i % 2 === 0
            ? { ...r, status: 'in_publicity', publicity: { startOn: '2026-11-24', endOn: '2026-11-30' } }
            : { ...r, status: 'withdrawn' };
        const stored = await s.results.replace(r, next as GradingResult);
        const type = stored.status === 'withdrawn' ? 'withdrawn' : 'publicity_started';
        await s.events.append(event(`${type}:${r.id}`, r.uscc, type));
        return stored;
      }),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
    const final = await s.results.get(r.id);
    expect(final?.version).toBe(2);
    const feed = await publicFeed(s.app);
    expect(feed).toHaveLength(1);
    expect(feed[0]?.type).toBe(final?.status === 'withdrawn' ? 'withdrawn' : 'publicity_started');
  });
});
