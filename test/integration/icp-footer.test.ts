import { beforeAll, describe, expect, it } from 'vitest';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { createApp } from '#shared/http/app.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { testConfig } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

const ICP = '浙ICP备00000000号';

describe('the ICP filing number in the page footer', () => {
  const dynamo = useTestDynamo();
  let table: string;
  let uscc: string;

  beforeAll(async () => {
    table = await dynamo.freshTable();
    const deps = buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier());
    const data = buildDemoData({ count: 5, today: deps.clock.today(), calendar: deps.calendar });
    await loadDemoData(dynamo.db, table, data);
    uscc = data.profiles[0]!.uscc;
  });

  const app = (icp?: string) =>
    createApp(
      buildAdminDeps(testConfig({ TABLE_NAME: table, ICP_NUMBER: icp }), dynamo.db, new RecordingNotifier()),
    );
  const footerOf = (html: string) => /<footer class="site">([\s\S]*)<\/footer>/.exec(html)?.[1] ?? '';

  it('is shown, linked to the MIIT filing site, on every kind of page when configured', async () => {
    const withIcp = app(ICP);
    for (const path of ['/', '/stats', '/docs', `/i/${uscc}`, '/i/not-a-code', '/?district=nowhere']) {
      const res = await withIcp.request(path);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      const footer = footerOf(await res.text());
      expect(footer, path).toContain(
        `<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">${ICP}</a>`,
      );
    }
  });

  it('is absent when not configured (the global profile)', async () => {
    const res = await app().request('/');
    const footer = footerOf(await res.text());
    expect(footer).toContain('数据来源');
    expect(footer).not.toContain('beian.miit.gov.cn');
  });
});
