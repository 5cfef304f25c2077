import { launchBrowser } from '#test/support/browser.ts';
import { startDemoSite } from '#test/support/demo-site.ts';

/**
 * `npm run screenshots`: the public pages on a 390 × 844 phone, over demo data with one institution of
 * each state, written to docs/images/ (first screen only: what a visitor sees before scrolling).
 */
const site = await startDemoSite();
const browser = await launchBrowser();
const { states } = site;
const pages: Array<[string, string]> = [
  ['phone-home.png', '/'],
  ['phone-search.png', `/?q=${encodeURIComponent(Array.from(states.graded.name).slice(2, 4).join(''))}`],
  ['phone-search-none.png', `/?q=${encodeURIComponent('无此机构')}`],
  ['public-page.png', `/i/${states.inPublicity.uscc}`],
  ['phone-institution.png', `/i/${states.graded.uscc}`],
  ['phone-downgraded-history.png', `/i/${states.downgraded.uscc}#history-title`],
  ['phone-closed.png', `/i/${states.closed.uscc}`],
  ['phone-publicity.png', '/publicity'],
  ['phone-objection-status.png', `/objections/${states.decidedReference}`],
  ['phone-stats.png', '/stats'],
  ['phone-sign.png', `/i/${states.graded.uscc}/sign`],
];
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  for (const [file, path] of pages) {
    await page.goto(`${site.base}${path}`);
    await page.screenshot({ path: `docs/images/${file}` });
    console.log(`docs/images/${file}  ← ${path}`);
  }
} finally {
  await browser.close();
  await site.close();
}
