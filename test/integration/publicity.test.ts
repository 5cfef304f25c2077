import { beforeAll, describe, expect, it } from 'vitest';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { addDays } from '#shared/domain/dates.ts';
import type { GradingResult } from '#shared/domain/model.ts';
import { createApp } from '#shared/http/app.ts';
import { encodeChangeCursor } from '#shared/http/feed-cursor.ts';
import { buildDemoData, type DemoData, loadDemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { testConfig } from '../support/config.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked by the assertions
type Json = any;

describe('GET /v1/publicity', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let data: DemoData;
  let table: string;
  let today: string;
  let expected: GradingResult[];

  beforeAll(async () => {
    table = await dynamo.freshTable();
    const deps = buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier());
    today = deps.clock.today();
    data = buildDemoData({ count: 90, today, calendar: deps.calendar });
    await loadDemoData(dynamo.db, table, data);
    const template = data.results.find((r) => r.status === 'in_publicity')!;
    // Publicity over but the result not yet published, and publicity not yet begun: neither is listed.
    await deps.results.create({
      ...template,
      id: 'r-stale',
      publicity: { startOn: addDays(today, -9), endOn: addDays(today, -1) },
    });
    await deps.results.create({
      ...template,
      id: 'r-scheduled',
      publicity: { startOn: addDays(today, 3), endOn: addDays(today, 9) },
    });
    expected = data.results
      .filter(
        (r) => r.status === 'in_publicity' && r.publicity!.startOn <= today && today <= r.publicity!.endOn,
      )
      .sort((a, b) => `${a.publicity!.endOn}#${a.id}`.localeCompare(`${b.publicity!.endOn}#${b.id}`));
    app = createApp(deps);
  });

  it('lists every result in publicity today with its institution, proposed grade and how to object', async () => {
    expect(expected.length).toBeGreaterThan(3);
    const res = await app.request('/v1/publicity?limit=50');
    expect(res.status).toBe(200);
    const json = await body(res);
    expect(json.nextCursor).toBeNull();
    expect(json.items.map((i: Json) => i.resultId)).toEqual(expected.map((r) => r.id));
    const first = json.items[0];
    const result = expected[0]!;
    const profile = data.profiles.find((p) => p.uscc === result.uscc)!;
    expect(first).toMatchObject({
      uscc: result.uscc,
      name: profile.name,
      district: result.district,
      kind: result.kind,
      proposedGrade: result.grade,
      score: result.score,
      startOn: result.publicity!.startOn,
      endOn: result.publicity!.endOn,
      objection: {
        method: 'POST',
        url: `https://credit.example.test/v1/publicity/${result.id}/objections`,
        deadline: `${addDays(result.publicity!.endOn, 1)}T00:00:00+08:00`,
      },
    });
    expect(first.proposedGradeLabel).toMatch(/^[ABCD]级/);
    expect(first.objection.instructions).toContain(`${result.publicity!.endOn}当日24时截止`);
    expect(first.objection.instructions).toContain('异议');
  });

  it('pages with signed cursors without losing or repeating a result', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res = await app.request(
        `/v1/publicity?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      const json = await body(res);
      seen.push(...json.items.map((x: Json) => x.resultId));
      cursor = json.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it('accepts yesterday’s cursor the next day and drops what has ended meanwhile', async () => {
    const first = await body(await app.request('/v1/publicity?limit=1'));
    const tomorrow = addDays(today, 1);
    const later = createApp(
      buildAdminDeps(
        testConfig({ TABLE_NAME: table, NOW: `${tomorrow}T10:00:00+08:00` }),
        dynamo.db,
        new RecordingNotifier(),
      ),
    );
    const res = await later.request(`/v1/publicity?limit=50&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(res.status).toBe(200);
    const json = await body(res);
    for (const item of json.items) expect(item.endOn >= tomorrow).toBe(true);
  });

  it('refuses malformed, altered and foreign cursors with 400 naming cursor', async () => {
    const good = (await body(await app.request('/v1/publicity?limit=1'))).nextCursor as string;
    const bad = [
      'garbage',
      `${good.slice(0, -2)}AA`,
      encodeChangeCursor('test-cursor-secret-0123456789', { seq: 3, types: [], district: null }),
    ];
    for (const cursor of bad) {
      const res = await app.request(`/v1/publicity?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect((await body(res)).errors[0].path).toBe('cursor');
    }
    const limit = await app.request('/v1/publicity?limit=99');
    expect((await body(limit)).errors[0].path).toBe('limit');
  });

  it('sends an ETag and answers If-None-Match with 304', async () => {
    const res = await app.request('/v1/publicity');
    const etag = res.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect(res.headers.get('cache-control')).toContain('max-age');
    const again = await app.request('/v1/publicity', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });
});
