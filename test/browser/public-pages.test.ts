import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPublicDeps, calendarFrom } from '#shared/bootstrap.ts';
import { searchableTexts } from '#shared/domain/search-terms.ts';
import { createPublicApp } from '#shared/http/app.ts';
import { buildDemoData, type DemoData, loadDemoData } from '#shared/local/demo.ts';
import { launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';

const ARTIFACTS = 'test-artifacts';

describe('public pages in Chromium', () => {
  const dynamo = useTestDynamo();
  let server: ServerType;
  let browser: Browser;
  let base: string;
  let data: DemoData;

  beforeAll(async () => {
    const table = await dynamo.freshTable();
    const deps = buildPublicDeps(testConfig({ TABLE_NAME: table }), dynamo.db);
    data = buildDemoData({ count: 80, today: deps.clock.today(), calendar: calendarFrom(testConfig()) });
    await loadDemoData(dynamo.db, table, data);
    const app = createPublicApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const inPublicity = () => data.profiles.find((p) => p.publicity && p.grade && p.history.length > 0)!;

  it('finds institutions by two Chinese characters with grade badges in text', async () => {
    const page = await browser.newPage();
    const target = data.profiles[0]!;
    const two = Array.from(target.name).slice(2, 4).join('');
    await page.goto(`${base}/`);
    await page.getByLabel('机构名称、拼音或信用代码').fill(two);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    const names = await page.locator('ol.results a.name').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toContain(two);
    const badges = await page.locator('ol.results .badge').allTextContents();
    for (const b of badges) expect(b).toMatch(/^[ABCD]级 (示范|规范|合格|待提升)$|^未评级$/);
    await page.close();
  });

  it('finds an institution by pinyin initials, opens it and shows its grade and the publicity banner', async () => {
    const target = inPublicity();
    const initials = searchableTexts(target.name, []).initials[0]!.match(/^[a-z]+/)![0];
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(`${base}/`);
    await page.getByLabel('机构名称、拼音或信用代码').fill(initials);
    await page.getByText('按区县、等级、类别筛选').click();
    await page.getByLabel('区县').selectOption(target.district);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    await page.screenshot({ path: `${ARTIFACTS}/search-mobile.png`, fullPage: true });
    await page.getByRole('link', { name: target.name, exact: true }).click();
    await page.waitForURL(`**/i/${target.uscc}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(target.name);
    const grade = await page.locator('.badge.big').textContent();
    expect(grade).toContain(target.grade!);
    const banner = page.getByRole('region', { name: /^公示中：/ });
    const end = target.publicity!.endOn.split('-').map(Number);
    expect(await banner.textContent()).toContain(`${end[0]}年${end[1]}月${end[2]}日`);
    await page.getByText('对公示结果有异议？').click();
    expect(await page.getByLabel('异议内容').isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/institution-mobile.png`, fullPage: true });
    await page.close();
  });

  it('draws the statistics chart and reaches the search field by keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/stats`);
    expect(await page.locator('svg[role="img"] rect').count()).toBeGreaterThan(13);
    expect(await page.locator('#coverage-progress').getAttribute('value')).toMatch(/^0\.\d+|^1$/);
    await page.screenshot({ path: `${ARTIFACTS}/stats-mobile.png`, fullPage: true });
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('跳到正文');
    await page.close();
  });
});
