import { describe, expect, it } from 'vitest';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import type { ChangeType } from '#shared/domain/types.ts';
import { createApp } from '#shared/http/app.ts';
import { encodePublicityCursor } from '#shared/http/feed-cursor.ts';
import { buildDemoData, type DemoData, loadDemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { EventStore } from '#shared/store/events.ts';
import { testConfig } from '../support/config.ts';
import { body } from '../support/http.ts';
import { type TestDynamo, useTestDynamo } from '../support/local-table.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked by the assertions
type Json = any;

async function setup(dynamo: TestDynamo, opts: { demo: boolean; now?: string }) {
  const table = await dynamo.freshTable();
  const config = testConfig({ TABLE_NAME: table, ...(opts.now ? { NOW: opts.now } : {}) });
  const deps = buildAdminDeps(config, dynamo.db, new RecordingNotifier());
  let data: DemoData | null = null;
  if (opts.demo) {
    data = buildDemoData({ count: 40, today: deps.clock.today(), calendar: deps.calendar });
    await loadDemoData(dynamo.db, table, data);
  }
  return { app: createApp(deps), deps, data, table };
}

/** Follows the cursors from the first page until the feed says nothing more waits. */
async function followAll(app: ReturnType<typeof createApp>, query: string, limit = 17) {
  const items: Json[] = [];
  let since: string | undefined;
  for (let page = 0; page < 500; page++) {
    const qs = new URLSearchParams(query);
    qs.set('limit', String(limit));
    if (since) qs.set('since', since);
    const res = await app.request(`/v1/changes?${qs}`);
    expect(res.status).toBe(200);
    const json = await body(res);
    items.push(...json.items);
    since = json.nextCursor;
    if (!json.more) return { items, nextCursor: since as string };
  }
  throw new Error('feed did not end');
}

describe('GET /v1/changes', () => {
  const dynamo = useTestDynamo();

  it('returns every event once, in sequence order, and a cursor that keeps its place at the end', async () => {
    const { app, data } = await setup(dynamo, { demo: true });
    const { items, nextCursor } = await followAll(app, '');
    expect(items.map((e: Json) => Number(e.id))).toEqual(data!.events.map((e) => e.seq));
    expect(items[0]).toMatchObject({
      id: '1',
      type: data!.events[0]!.type,
      uscc: data!.events[0]!.uscc,
      occurredAt: data!.events[0]!.occurredAt,
    });
    expect(Object.keys(items[0]).sort()).toEqual(
      ['after', 'before', 'district', 'id', 'occurredAt', 'type', 'typeLabel', 'uscc'].sort(),
    );
    expect(nextCursor).toEqual(expect.any(String));
    const again = await body(await app.request(`/v1/changes?since=${encodeURIComponent(nextCursor)}`));
    expect(again).toMatchObject({ items: [], more: false });
  });

  it('hands every event exactly once to a reader following the cursors while 8 writers append', async () => {
    const { app, table } = await setup(dynamo, { demo: false });
    const writers = 8;
    const perWriter = 25;
    let writing = true;
    const written = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const store = new EventStore(dynamo.db, table);
        for (let i = 0; i < perWriter; i++) {
          await store.append({
            key: `test:${w}:${i}`,
            type: 'published',
            uscc: '91330106MA2CFXKQ1P',
            district: '西湖区',
            occurredAt: new Date().toISOString(),
            before: null,
            after: { writer: w, n: i },
          });
        }
      }),
    ).finally(() => {
      writing = false;
    });

    const seen: Json[] = [];
    let since = '';
    let pages = 0;
    for (;;) {
      const stillWriting = writing;
      const res = await app.request(
        `/v1/changes?limit=7${since ? `&since=${encodeURIComponent(since)}` : ''}`,
      );
      const json = await body(res);
      pages++;
      seen.push(...json.items);
      since = json.nextCursor;
      if (!stillWriting && !json.more) break;
      if (!json.more) await new Promise((r) => setTimeout(r, 2));
    }
    await written;

    expect(pages).toBeGreaterThan((writers * perWriter) / 7);
    expect(seen.map((e) => Number(e.id))).toEqual(
      Array.from({ length: writers * perWriter }, (_, i) => i + 1),
    );
    const keys = new Set(seen.map((e) => `${e.after.writer}:${e.after.n}`));
    expect(keys.size).toBe(writers * perWriter);
  });

  it('filters by district and by a list of types, and the cursor keeps the filter', async () => {
    const { app, data } = await setup(dynamo, { demo: true });
    const district = data!.events.find((e) => e.type === 'published')!.district;
    const types: ChangeType[] = ['published', 'publicity_started'];
    const expected = data!.events.filter((e) => types.includes(e.type) && e.district === district);
    expect(expected.length).toBeGreaterThan(0);

    const both = await followAll(app, `type=${types.join(',')}&district=${encodeURIComponent(district)}`, 3);
    expect(both.items.map((e: Json) => Number(e.id))).toEqual(expected.map((e) => e.seq));

    const typeOnly = await followAll(app, 'type=institution_registered', 50);
    expect(typeOnly.items.length).toBe(
      data!.events.filter((e) => e.type === 'institution_registered').length,
    );
    expect(typeOnly.items.every((e: Json) => e.type === 'institution_registered')).toBe(true);

    const districtOnly = await followAll(app, `district=${encodeURIComponent(district)}`, 50);
    expect(districtOnly.items.length).toBe(data!.events.filter((e) => e.district === district).length);

    // Omitting the filter along the cursor keeps it; repeating it unchanged is accepted.
    const first = await body(await app.request(`/v1/changes?limit=1&type=published`));
    const next = await body(
      await app.request(`/v1/changes?limit=50&since=${encodeURIComponent(first.nextCursor)}`),
    );
    expect(next.items.every((e: Json) => e.type === 'published')).toBe(true);
    const repeated = await app.request(
      `/v1/changes?limit=50&type=published&since=${encodeURIComponent(first.nextCursor)}`,
    );
    expect(repeated.status).toBe(200);
  });

  it('refuses bad filters, a changed filter along a cursor, and bad limits, naming the field', async () => {
    const { app } = await setup(dynamo, { demo: false });
    const cases: Array<[string, string]> = [
      ['type=published,promoted', 'type'],
      ['district=%E6%9D%AD%E5%B7%9E%E5%B8%82', 'district'],
      ['limit=0', 'limit'],
      ['limit=51', 'limit'],
      ['limit=ten', 'limit'],
    ];
    for (const [query, field] of cases) {
      const res = await app.request(`/v1/changes?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await body(res)).errors.map((e: Json) => e.path)).toContain(field);
    }
    const first = await body(await app.request('/v1/changes?type=published'));
    const changed = await app.request(
      `/v1/changes?type=downgraded&since=${encodeURIComponent(first.nextCursor)}`,
    );
    expect(changed.status).toBe(400);
    expect((await body(changed)).errors[0].path).toBe('type');
  });

  it('refuses malformed, altered and foreign cursors with 400 naming since', async () => {
    const { app, deps } = await setup(dynamo, { demo: true });
    const good = (await body(await app.request('/v1/changes?limit=2'))).nextCursor as string;
    const [payload, mac] = good.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ l: 'changes', s: 1, t: [], d: null })).toString('base64url');
    const bad = [
      'not-a-cursor',
      `${payload}x.${mac}`,
      `${forged}.${mac}`,
      `${payload}.`,
      encodePublicityCursor(deps.cursorSecret, { endOn: '2026-11-30', id: 'r-1' }),
      encodePublicityCursor('another-secret-0123456789', { endOn: '2026-11-30', id: 'r-1' }),
    ];
    for (const since of bad) {
      const res = await app.request(`/v1/changes?since=${encodeURIComponent(since)}`);
      expect(res.status, since).toBe(400);
      expect((await body(res)).errors[0].path).toBe('since');
    }
  });

  it('answers If-None-Match and If-Modified-Since with 304 until a new event is appended', async () => {
    const { app, deps } = await setup(dynamo, { demo: true });
    const first = await app.request('/v1/changes?limit=5&type=published');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(lastModified).toBeTruthy();
    expect(first.headers.get('vary')).toContain('Accept');
    expect(first.headers.get('cache-control')).toContain('public');

    const cached = await app.request('/v1/changes?limit=5&type=published', {
      headers: { 'If-None-Match': etag },
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(await cached.text()).toBe('');
    const byDate = await app.request('/v1/changes?limit=5&type=published', {
      headers: { 'If-Modified-Since': lastModified },
    });
    expect(byDate.status).toBe(304);
    const otherQuery = await app.request('/v1/changes?limit=6&type=published', {
      headers: { 'If-None-Match': etag },
    });
    expect(otherQuery.status).toBe(200);

    await deps.events.append({
      key: 'test:new',
      type: 'downgraded',
      uscc: '91330106MA2CFXKQ1P',
      district: '西湖区',
      occurredAt: '2026-11-23T10:00:00+08:00',
      before: { grade: 'A' },
      after: { grade: 'B' },
    });
    const fresh = await app.request('/v1/changes?limit=5&type=published', {
      headers: { 'If-None-Match': etag },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).not.toBe(etag);
  });

  it('starts at the head with since=now and serves a cursor as a bookmark days later', async () => {
    const { app, deps, table } = await setup(dynamo, { demo: true });
    const start = await body(await app.request('/v1/changes?since=now&district=%E8%A5%BF%E6%B9%96%E5%8C%BA'));
    expect(start).toMatchObject({ items: [], more: false });
    await deps.events.append({
      key: 'test:bookmark',
      type: 'institution_closed',
      uscc: '91330106MA2CFXKQ1P',
      district: '西湖区',
      occurredAt: '2026-11-23T11:00:00+08:00',
      before: { closed: false },
      after: { closed: true, contacts: { phones: ['13900000000'] } },
    });
    const later = testConfig({ TABLE_NAME: table, NOW: '2026-12-05T09:00:00+08:00' });
    const laterApp = createApp(buildAdminDeps(later, dynamo.db, new RecordingNotifier()));
    const res = await laterApp.request(`/v1/changes?since=${encodeURIComponent(start.nextCursor)}`);
    const json = await body(res);
    expect(json.items).toHaveLength(1);
    expect(json.items[0]).toMatchObject({ type: 'institution_closed', after: { closed: true } });
    expect(JSON.stringify(json)).not.toContain('13900000000');
  });

  it('documents the feeds in the OpenAPI document', async () => {
    const { app } = await setup(dynamo, { demo: false });
    const doc = await body(await app.request('/openapi.json'));
    for (const path of ['/v1/changes', '/v1/changes.atom', '/v1/publicity', '/v1/export/grades.csv']) {
      expect(doc.paths[path]?.get, path).toBeTruthy();
    }
    expect(Object.keys(doc.paths['/v1/changes'].get.responses['200'].content)).toEqual([
      'application/json',
      'application/atom+xml',
    ]);
  });
});
