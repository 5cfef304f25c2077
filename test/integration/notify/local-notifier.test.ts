import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devNoticesRoutes } from '#shared/local/notices-page.ts';
import { loadNotifyConfig } from '#shared/notify/config.ts';
import { createLocalNotifier } from '#shared/notify/factory.ts';
import { NOTICES_FILE, readSink } from '#shared/notify/local-sink.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import { testConfig } from '../../support/config.ts';
import { privateFixture, profileFixture, seedInstitutions, usccNo } from '../../support/institutions.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('the local notifier and its sink', () => {
  const dynamo = useTestDynamo();

  it('writes each notice once to notices.jsonl with the full text and the contact masked; /dev/notices shows newest first', async () => {
    const table = await dynamo.freshTable();
    await seedInstitutions(
      dynamo.db,
      table,
      [profileFixture(1)],
      [privateFixture(1, { contacts: { phones: ['13912345678'], wechatOpenIds: [] } })],
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'notices-'));
    let t = Date.parse('2026-12-11T01:00:00Z');
    const notifier = createLocalNotifier({
      config: testConfig({ TABLE_NAME: table }),
      notifyConfig: loadNotifyConfig({}),
      db: dynamo.db,
      dataDir,
      now: () => {
        t += 1000;
        return new Date(t);
      },
      logger: silentLogger,
    });
    const intent = {
      uscc: usccNo(1),
      kind: 'review_due_30' as const,
      cycle: '2027-01-10',
      params: { due: '2027-01-10', name: '<b>测试</b>' },
      on: '2026-12-11',
    };
    await notifier.notify([intent]);
    await notifier.notify([intent]);
    await notifier.notify([{ ...intent, kind: 'review_due_7', params: { due: '2027-01-10' } }]);

    const raw = readFileSync(join(dataDir, NOTICES_FILE), 'utf8');
    expect(raw.trim().split('\n')).toHaveLength(2);
    expect(raw).not.toContain('13912345678');
    const entries = await readSink(dataDir);
    expect(entries.map((e) => e.kind)).toEqual(['review_due_7', 'review_due_30']);
    expect(entries[1]).toMatchObject({ channel: 'sms', to: '139****5678' });
    expect(entries[1]?.text).toContain('2027-01-10');

    const page = await devNoticesRoutes(dataDir).request('/notices');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.indexOf('review_due_7')).toBeLessThan(html.indexOf('review_due_30'));
    expect(html).toContain('&#60;b&#62;');
    expect(html).not.toContain('<b>测试');
  });

  it('also shows the change-feed lines the relay writes to the same file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'notices-'));
    const feed = {
      channel: 'feed',
      at: '2026-12-11T01:00:00.000Z',
      kind: 'published',
      uscc: 'U1',
      text: '结果公布',
    };
    writeFileSync(join(dataDir, NOTICES_FILE), `${JSON.stringify(feed)}\n`);
    const html = await (await devNoticesRoutes(dataDir).request('/notices')).text();
    expect(html).toContain('变更推送');
    expect(html).toContain('结果公布');
    expect(html).not.toContain('undefined');
  });

  it('shows an empty page when nothing was sent', async () => {
    const html = await (
      await devNoticesRoutes(mkdtempSync(join(tmpdir(), 'notices-'))).request('/notices')
    ).text();
    expect(html).toContain('暂无通知');
  });
});
