import { mkdirSync, writeFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, describe, expect, it } from 'vitest';
import { SIZES, useCitizenSite } from '../support/citizen-site.ts';
import type { DemoSite } from '../support/demo-site.ts';

const ARTIFACTS = 'test-artifacts';

describe('the public pages, checked by axe-core in Chromium at 390 and 1280 px', () => {
  const citizen = useCitizenSite();
  const axeCounts: Record<string, Record<number, number>> = {};

  afterAll(() => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(`${ARTIFACTS}/axe-counts.json`, `${JSON.stringify(axeCounts, null, 2)}\n`);
  });

  // One case per page and size: a page's violations are named in its own failure.
  const AXE_PAGES: Array<[string, (s: DemoSite['states']) => string]> = [
    ['home', () => '/'],
    ['search', (s) => `/?q=${encodeURIComponent(Array.from(s.graded.name).slice(2, 4).join(''))}`],
    ['search, nothing found', () => `/?q=${encodeURIComponent('无此机构名称')}`],
    ['institution, graded', (s) => `/i/${s.graded.uscc}`],
    ['institution, in publicity', (s) => `/i/${s.inPublicity.uscc}`],
    ['institution, ungraded', (s) => `/i/${s.ungraded.uscc}`],
    ['institution, downgraded', (s) => `/i/${s.downgraded.uscc}`],
    ['institution, closed', (s) => `/i/${s.closed.uscc}`],
    ['door sign', (s) => `/i/${s.graded.uscc}/sign`],
    ['publicity', () => '/publicity'],
    ['objection refused', (s) => `/i/${s.inPublicity.uscc}`],
    ['objection lookup', () => '/objections'],
    ['objection status, open', (s) => `/objections/${s.openReference}`],
    ['objection status, decided', (s) => `/objections/${s.decidedReference}`],
    ['stats', () => '/stats'],
    ['docs', () => '/docs'],
    ['dev notices', () => '/dev/notices'],
  ];

  for (const viewport of SIZES) {
    it.each(AXE_PAGES)(
      `has no axe-core violations (WCAG 2.1 A/AA, best practice): %s at ${viewport.width} px`,
      async (name, path) => {
        const page = await citizen.open(path(citizen.site.states), viewport);
        if (name === 'objection refused') {
          // The page after a form post the proof-of-work script did not run for (axe itself needs scripts).
          await page.route('**/assets/objection-form.js', (route) => route.abort());
          await page.reload();
          await page.getByText('对公示结果有异议？').click();
          await page.getByLabel('异议内容').fill('未完成防刷验证时提交的异议');
          await page.getByRole('button', { name: '提交异议' }).click();
          await page.waitForURL(/objections$/);
        }
        const result = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
          .analyze();
        axeCounts[name] = { ...axeCounts[name], [viewport.width]: result.violations.length };
        await citizen.close(page);
        expect(
          result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')}`),
        ).toEqual([]);
      },
      // The API reference is one long page: axe takes over a minute on it on a busy machine.
      300_000,
    );
  }
});
