import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SIZES, useCitizenSite } from '../support/citizen-site.ts';

describe('the public pages a citizen uses, in Chromium at 390 and 1280 px', () => {
  const citizen = useCitizenSite();
  const { open, close } = citizen;
  const topOf = async (page: Page, selector: string) =>
    (await page.locator(selector).first().boundingBox())?.y;
  const bottomOf = async (page: Page, selector: string) => {
    const box = await page.locator(selector).first().boundingBox();
    return box ? box.y + box.height : undefined;
  };

  it('puts the count and the first result on the first phone screen, filters folded', async () => {
    const q = Array.from(citizen.site.states.graded.name).slice(2, 4).join('');
    for (const viewport of SIZES) {
      const page = await open(`/?q=${encodeURIComponent(q)}`, viewport);
      expect(await page.locator('#results-title').textContent()).toMatch(/共 \d+ 家/);
      expect(await page.locator('details.filters-fold').getAttribute('open')).toBeNull();
      expect(await page.getByLabel('区县').isVisible()).toBe(false);
      expect(await bottomOf(page, 'ol.results li')).toBeLessThan(viewport.height);
      await close(page);
    }
    const filtered = await open(`/?district=${encodeURIComponent(citizen.site.states.graded.district)}`);
    expect(await filtered.getByLabel('区县').isVisible()).toBe(true);
    const count = Number((await filtered.locator('.count').textContent())?.match(/\d+/)?.[0]);
    expect(count).toBe(
      citizen.site.data.profiles.filter((p) => p.district === citizen.site.states.graded.district).length,
    );
    await close(filtered);
  });

  it('marks a result in publicity in search results and at the top of its page, above the fold', async () => {
    const target = citizen.site.states.inPublicity;
    const p = target.publicity!;
    const [, m, d] = p.endOn.split('-').map(Number);
    const line = `公示中：拟评定为 ${p.proposedGrade}级，至${m}月${d}日`;
    for (const viewport of SIZES) {
      const search = await open(`/?q=${target.uscc}`, viewport);
      expect(await search.locator('ol.results .pending').first().textContent()).toBe(line);
      await close(search);
      const page = await open(`/i/${target.uscc}`, viewport);
      const banner = page.getByRole('region', { name: line });
      expect(await banner.isVisible()).toBe(true);
      const box = await banner.boundingBox();
      expect(box!.y + box!.height).toBeLessThan(viewport.height);
      expect(box!.y).toBeLessThan((await topOf(page, '.badge.big'))!);
      await close(page);
    }
    const publicity = await open('/publicity');
    expect(await publicity.locator('.pending').allTextContents()).toContain(line);
    await close(publicity);
  });

  it('shows an approved statement under the grade with its date, marked as the institution’s own words', async () => {
    const { uscc, reply } = citizen.site.states.graded;
    const [y, m, d] = (reply?.approvedOn ?? '').split('-').map(Number);
    for (const viewport of SIZES) {
      const page = await open(`/i/${uscc}`, viewport);
      const statement = page.getByRole('region', { name: /机构自述/ });
      expect(await statement.locator('blockquote').textContent()).toBe(reply?.text);
      expect(await statement.textContent()).toContain(`${y}年${m}月${d}日`);
      expect(await topOf(page, 'section.reply')).toBeGreaterThan((await bottomOf(page, '.badge.big')) ?? 0);
      await close(page);
    }
  });

  it("names the city's regulator and the 12345 hotline on every page, and the API only in the footer", async () => {
    for (const path of [
      '/',
      '/stats',
      `/i/${citizen.site.states.graded.uscc}`,
      '/objections',
      '/publicity',
    ]) {
      const page = await open(path);
      const footer = page.locator('footer.site');
      expect(await footer.getByText('杭州市卫生健康监督所').isVisible()).toBe(true);
      expect(await footer.getByRole('link', { name: '12345' }).getAttribute('href')).toBe('tel:12345');
      expect(await footer.getByRole('link', { name: /开放接口/ }).getAttribute('href')).toBe('/docs');
      expect(
        await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /接口/ }).count(),
      ).toBe(0);
      await close(page);
    }
    const inst = await open(`/i/${citizen.site.states.graded.uscc}`);
    const report = inst.getByRole('region', { name: '反映该机构的问题' });
    expect(await report.textContent()).toContain(citizen.site.states.graded.uscc);
    await close(inst);
    const none = await open(`/?q=${encodeURIComponent('无此机构名称')}`);
    expect(await none.getByRole('heading', { name: '查不到这家机构？' }).isVisible()).toBe(true);
    expect(await none.locator('.help').textContent()).toMatch(/医疗机构执业许可证.*无证行医/s);
    await close(none);
  });

  it('gives an objection a short reference with a status page, and keeps the text when it fails', async () => {
    const target = citizen.site.states.inPublicity;
    for (const viewport of SIZES) {
      // Without JavaScript: the page says why beforehand, and the refusal keeps what was typed.
      const nojs = await open(`/i/${target.uscc}`, viewport, false);
      await nojs.getByText('对公示结果有异议？').click();
      expect(await nojs.locator('form[data-pow]').textContent()).toContain('需要启用');
      const typed = `评分依据与事实不符（${viewport.width}）`;
      await nojs.getByLabel('异议内容').fill(typed);
      await nojs.getByRole('button', { name: '提交异议' }).click();
      await nojs.waitForURL(/objections$/);
      expect(await nojs.getByRole('alert').textContent()).toContain('JavaScript');
      expect(await nojs.getByLabel('异议内容').inputValue()).toBe(typed);
      await close(nojs);

      // With JavaScript: the receipt carries an 8-character reference that opens the status page.
      const page = await open(`/i/${target.uscc}`, viewport);
      await page.getByText('对公示结果有异议？').click();
      await page.getByLabel('异议内容').fill(typed);
      await page.getByRole('button', { name: '提交异议' }).click();
      await page.waitForURL(/objections$/);
      const reference = (await page.locator('.reference').textContent())!;
      expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      await page.getByRole('link', { name: '查询处理进度' }).click();
      await page.waitForURL(/objections\/[0-9A-Z]{8}$/);
      expect(await page.locator('h2#status-title').textContent()).toBe('处理状态：已受理');
      expect(await page.locator('main').textContent()).not.toContain(typed);

      // The same text again is refused (409): the refusal page keeps the text.
      await page.goto(`${citizen.site.base}/i/${target.uscc}`);
      await page.getByText('对公示结果有异议？').click();
      await page.getByLabel('异议内容').fill(typed);
      await page.getByRole('button', { name: '提交异议' }).click();
      await page.waitForURL(/objections$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('异议未能提交');
      expect(await page.getByLabel('异议内容').inputValue()).toBe(typed);

      // A reference typed in lower case with a space is found; the decided one shows the reason.
      await page.goto(`${citizen.site.base}/objections`);
      const decided = citizen.site.states.decidedReference;
      await page.getByLabel('异议编号').fill(`${decided.slice(0, 4).toLowerCase()} ${decided.slice(4)}`);
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForURL(`**/objections/${decided}`);
      expect(await page.locator('main').textContent()).toMatch(/异议不成立.*机构地址变更已登记/s);
      await close(page);
    }
  });

  it('lets a phone read the history and the statistics: stacked rows, or a focusable region with a cue', async () => {
    const page = await open(`/i/${citizen.site.states.downgraded.uscc}`);
    const row = page.locator('table.stack tbody tr').first();
    expect(await row.textContent()).toMatch(/降级：\d{4}年\d+月\d+日发生较重违法违规/);
    // Nothing wider than the phone: the whole page scrolls only down.
    const width = await page.locator('html').evaluate((el) => el.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await close(page);

    // The smallest phone in use: there the table is wider than the screen whatever fonts the machine has
    // (at 390 px it fits when no CJK font is installed and the fallback glyphs are narrower).
    const stats = await open('/stats', { width: 320, height: 568 });
    const region = stats.getByRole('region', { name: '各区县等级分布数据表' });
    expect(await stats.locator('.scroll-cue').isVisible()).toBe(true);
    await region.focus();
    expect(await region.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    // The keys scroll the region; the browser applies the scroll after the key event returns, later
    // still on a busy machine, so the key is pressed again until the region has moved.
    await expect
      .poll(
        async () => {
          await stats.keyboard.press('ArrowRight');
          return region.evaluate((el) => el.scrollLeft);
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBeGreaterThan(0);
    await close(stats);
    const wide = await open('/stats', DESKTOP);
    expect(await wide.locator('.scroll-cue').isVisible()).toBe(false);
    await close(wide);
  });

  it('prints a door sign on one A5 or A4 sheet with the name, grade, dates, QR code and issuer', async () => {
    const d = citizen.site.states.graded;
    const page = await open(`/i/${d.uscc}/sign`);
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain(d.name);
    expect(text).toMatch(/B\s*级\s*规范/);
    expect(text).toMatch(/评定日期.*下次复评/s);
    expect(text).toContain('杭州市卫生健康委员会');
    expect(await page.locator(`img[src="/v1/institutions/${d.uscc}/qr.svg"]`).isVisible()).toBe(true);
    for (const [size, width, height] of [
      ['a5', 419.52, 595.2],
      ['a4', 595.2, 841.92],
    ] as const) {
      await page.goto(`${citizen.site.base}/i/${d.uscc}/sign?size=${size}`);
      const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
      expect(pdf.match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1);
      const box = pdf.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
      expect(Number(box?.[1])).toBeCloseTo(width, 0);
      expect(Number(box?.[2])).toBeCloseTo(height, 0);
    }
    await close(page);
  });

  it('shows the name and grade to a shared link and copies the link with one tap', async () => {
    const d = citizen.site.states.graded;
    const page = await open(`/i/${d.uscc}`);
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe(d.name);
    expect(await page.locator('meta[property="og:description"]').getAttribute('content')).toContain(
      'B级规范机构',
    );
    expect(await page.locator('meta[property="og:url"]').getAttribute('content')).toMatch(
      new RegExp(`/i/${d.uscc}$`),
    );
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: '复制链接' }).click();
    await expect.poll(() => page.locator('[data-copy-status]').textContent()).toBe('链接已复制。');
    await close(page);
    const nojs = await open(`/i/${d.uscc}`, PHONE, false);
    expect(await nojs.getByRole('button', { name: '复制链接' }).count()).toBe(0);
    expect(await nojs.getByLabel('本页链接').inputValue()).toMatch(new RegExp(`/i/${d.uscc}$`));
    await close(nojs);
  });
});
