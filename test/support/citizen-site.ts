import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { type DemoSite, startDemoSite } from './demo-site.ts';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
export const SIZES = [PHONE, DESKTOP] as const;

export interface CitizenSite {
  /** The demo site; read it in hooks and tests (it starts in `beforeAll`). */
  readonly site: DemoSite;
  /** Opens `path` in a fresh browser context of `viewport`, with or without scripts. */
  open(path: string, viewport?: { width: number; height: number }, js?: boolean): Promise<Page>;
  close(page: Page): Promise<void>;
}

/**
 * The demo site (`startDemoSite`) and a headless Chromium for the calling file's tests: started in a
 * `beforeAll` registered here and closed in its `afterAll`.
 */
export function useCitizenSite(): CitizenSite {
  let site: DemoSite | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await startDemoSite();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  const started = <T>(x: T | undefined): T => {
    if (!x) throw new Error('the site starts in beforeAll: use it inside a hook or a test');
    return x;
  };
  return {
    get site() {
      return started(site);
    },
    async open(path, viewport = PHONE, js = true) {
      const context = await started(browser).newContext({ viewport, javaScriptEnabled: js });
      const page = await context.newPage();
      await page.goto(`${started(site).base}${path}`);
      return page;
    },
    close: (page) => page.context().close(),
  };
}
