import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { FileFeedSink } from '#shared/local/feed-sink.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { createLocalNotifier } from '#shared/notify/factory.ts';
import { NOTICES_FILE } from '#shared/notify/local-sink.ts';
import type { Notifier } from '#shared/notify/port.ts';
import { adminHarness, expectStatus, hospitalIn, nextDay, publishedClinic } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/** Every ISO 8601 time in a text, with whatever offset it carries (or none). */
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;

/** The times in `text` that are not given with the +08:00 offset. */
const notPlusEight = (text: string) =>
  [...text.matchAll(ISO_TIME)].map((m) => m[0]).filter((t) => !t.endsWith('+08:00'));

describe('every time an output carries is given with +08:00', () => {
  const dynamo = useTestDynamo();
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'times-walk-'));
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('walks the answers, pages, feeds and notices of a whole grading year and finds no other offset', async () => {
    // Notices go through the real local path (claims and the notices.jsonl sink) once the table exists.
    let local: Notifier | null = null;
    const notifier: Notifier = { notify: (intents) => local!.notify(intents) };
    const h = await adminHarness(dynamo, { notifier });
    local = createLocalNotifier({
      config: { TABLE_NAME: h.table },
      notifyConfig: loadNotifyConfig({ GUIDANCE_CONTACTS: JSON.stringify({ phones: ['13800000000'] }) }),
      db: dynamo.db,
      dataDir,
      now: () => h.clock.now(),
    });
    const seen: Array<{ where: string; text: string }> = [];
    const get = async (path: string, token: string | null = null) => {
      const res = await expectStatus(h.call('GET', path, token), 200);
      const text = await res.text();
      seen.push({ where: `GET ${path}`, text });
      return text;
    };
    const send = async (
      method: string,
      path: string,
      token: string | null,
      payload: unknown,
      status: number,
    ) => {
      const res = await expectStatus(h.call(method, path, token, payload), status);
      const text = await res.text();
      seen.push({ where: `${method} ${path}`, text });
      return JSON.parse(text);
    };

    const city = await h.token('city');
    const guidance = await h.token('guidance');
    const association = await h.token('association', { association: '中国整形美容协会' });

    // A clinic through the whole clinic path to publication, then a C clinic that applies for an upgrade.
    const published = await publishedClinic(h, 90);
    const upgrading = await publishedClinic(h, 80);
    const me = await h.token('institution', { uscc: upgrading.uscc });
    const application = await send(
      'POST',
      `/v1/institutions/${upgrading.uscc}/upgrade-applications`,
      me,
      { selfScore: 96, report: '自评报告' },
      201,
    );
    await send(
      'POST',
      `/v1/admin/upgrade-applications/${application.id}/decision`,
      city,
      { outcome: 'untrue', reason: '自评不实' },
      200,
    );

    // A hospital in publicity with an objection, decided; then published.
    const hospital = { ...hospitalIn('滨江区'), contacts: { phones: ['13988880001'] } };
    await send('POST', '/v1/admin/institutions', city, hospital, 201);
    const scored = await send(
      'POST',
      '/v1/admin/assessments',
      city,
      { uscc: hospital.uscc, score: 91, assessedOn: h.clock.today(), reason: 'initial' },
      201,
    );
    const window = await send('POST', `/v1/admin/assessments/${scored.id}/publicity`, city, undefined, 200);
    // Posted on a weekend, publicity begins on the next working day.
    h.clock.set(`${window.startOn}T10:00:00+08:00`);
    const objection = await send(
      'POST',
      `/v1/publicity/${scored.id}/objections`,
      null,
      { text: '评分过高' },
      201,
    );
    await get(`/v1/publicity`);
    await get(`/i/${hospital.uscc}`);
    await get(`/v1/admin/assessments/${scored.id}/objections`, city);
    await send(
      'POST',
      `/v1/admin/objections/${objection.id}/resolve`,
      city,
      { upheld: false, resolution: '不成立' },
      200,
    );
    h.clock.set(`${nextDay(window.endOn)}T09:00:00+08:00`);
    await send('POST', `/v1/admin/assessments/${scored.id}/publish`, guidance, undefined, 200);

    // A downgrade, the association's rating, a closure, the year's inspection plan.
    await send(
      'POST',
      `/v1/admin/institutions/${published.uscc}/violations`,
      city,
      { occurredOn: h.clock.today(), type: 'violation', severity: 'serious', description: '超范围执业' },
      201,
    );
    await send(
      'PUT',
      `/v1/admin/institutions/${hospital.uscc}/industry-rating`,
      association,
      { level: '5A', ratedOn: '2021-06-01', ratedBy: '中国整形美容协会' },
      200,
    );
    await send('POST', `/v1/admin/institutions/${upgrading.uscc}/close`, city, {}, 200);
    await send('POST', '/v1/admin/inspection-plans', city, { year: 2027, seed: '2027 抽查' }, 201);

    for (const uscc of [published.uscc, upgrading.uscc, hospital.uscc]) {
      await get(`/v1/institutions/${uscc}`);
      await get(`/i/${uscc}`);
      await get(`/v1/admin/institutions/${uscc}`, city);
      await get(`/v1/admin/audit?uscc=${uscc}&limit=50`, city);
      await get(`/v1/admin/institutions/${uscc}/notices?limit=50`, city);
    }
    await get('/v1/admin/audit?uscc=CITY&limit=50', city);
    await get(`/v1/admin/assessments/${scored.id}`, city);
    await get(`/v1/admin/upgrade-applications/${application.id}`, city);
    await get('/v1/admin/inspection-plans/2027', city);
    await get('/v1/admin/coverage', city);
    await get('/v1/admin/campaigns/2026', city);
    await get('/v1/admin/campaigns/2026/institutions?limit=50', city);
    await get('/v1/admin/watch-list', city);
    await get('/v1/changes?limit=50');
    await get('/v1/changes.atom?limit=50');
    await get('/v1/institutions?limit=50');
    await get('/v1/stats');
    await get('/stats');

    // The local stand-ins for the channels: the notices file and the feed relay's lines.
    const changes = await body(await h.call('GET', '/v1/changes?limit=50', null));
    await new FileFeedSink(join(dataDir, 'feed.jsonl'), fixedClock('2026-12-01T10:00:00+08:00')).publish(
      changes.items,
    );
    seen.push({ where: 'feed sink', text: readFileSync(join(dataDir, 'feed.jsonl'), 'utf8') });
    const notices = readFileSync(join(dataDir, NOTICES_FILE), 'utf8');
    expect(notices.trim().split('\n').length).toBeGreaterThan(3);
    seen.push({ where: NOTICES_FILE, text: notices });

    const timesSeen = seen.flatMap((s) => [...s.text.matchAll(ISO_TIME)]).length;
    expect(timesSeen).toBeGreaterThan(50);
    const offenders = seen.flatMap((s) => notPlusEight(s.text).map((t) => `${s.where}: ${t}`));
    expect(offenders).toEqual([]);
  });
});
