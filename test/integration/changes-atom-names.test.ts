import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { buildAdminDeps } from '#shared/bootstrap.ts';
import type { createApp } from '#shared/http/app.ts';
import type { DemoData } from '#shared/local/demo.ts';
import { demoApp } from '../support/demo-app.ts';
import { useTestDynamo } from '../support/local-table.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed XML is checked by the assertions
type Xml = any;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'link', 'category'].includes(name),
  // Titles are compared exactly: no trimming, no number parsing, entities decoded.
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
});

const text = (node: Xml): string => (typeof node === 'string' ? node : (node?.['#text'] ?? ''));
/** Atom `type="html"` text is HTML: undo its escaping (after the XML parser undid the XML one). */
const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/**
 * What a title shows of a stored name: every character stored text may not hold (C0 and C1 controls,
 * DEL, bidirectional overrides and isolates) and every one XML 1.0 cannot carry (lone surrogates,
 * U+FFFE, U+FFFF) becomes U+FFFD; everything else comes back as stored.
 */
function asShown(name: string): string {
  return [...name]
    .map((ch) => {
      const cp = ch.codePointAt(0)!;
      const refused =
        cp <= 0x1f ||
        (cp >= 0x7f && cp <= 0x9f) ||
        (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2066 && cp <= 0x2069) ||
        (cp >= 0xd800 && cp <= 0xdfff) ||
        cp === 0xfffe ||
        cp === 0xffff;
      return refused ? '\uFFFD' : ch;
    })
    .join('');
}

/** Names as they might have been stored, also before stored text was checked for control characters. */
const storedName = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '&',
      '<',
      '>',
      '"',
      "'",
      ']]>',
      '<![CDATA[',
      '&amp;',
      '\u0000',
      '\u0001',
      '\u0008',
      '\u000B',
      '\u001F',
      '\u007F',
      '\u0085',
      '\u202E',
      '\uFFFE',
      '\uFFFF',
      '\uD800',
      '\uDFFF',
      '😀',
      '医',
      '美',
      '杭州',
      ' ',
      '\t',
      '\n',
      '\r',
    ),
    minLength: 1,
    maxLength: 30,
  }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
);

describe('the Atom feed stays valid XML whatever names were stored', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof buildAdminDeps>;
  let data: DemoData;

  beforeAll(async () => {
    ({ app, deps, data } = await demoApp(dynamo, 3));
  });

  it('parses strictly and carries each stored name back in the entry titles', async () => {
    const uscc = data.events.at(-1)!.uscc;
    await fc.assert(
      fc.asyncProperty(storedName, async (name) => {
        // Straight to the store, past the request schemas, as older data might be.
        const current = (await deps.reader.getProfile(uscc, true))!;
        await deps.writer.saveProfile(current, { ...current, name });

        const res = await app.request('/v1/changes.atom?limit=50');
        expect(res.status).toBe(200);
        const xml = await res.text();
        expect(XMLValidator.validate(xml)).toBe(true);
        const feed = parser.parse(xml).feed;
        const titles = (feed.entry as Xml[])
          .filter((e) => e.link[0]['@href'].endsWith(`/i/${uscc}`))
          .map((e) => unescapeHtml(text(e.title)));
        expect(titles.length).toBeGreaterThan(0);
        for (const title of titles) expect(title.slice(title.indexOf('：') + 1)).toBe(asShown(name));
      }),
      { numRuns: Number(process.env.FEED_NAME_RUNS ?? 60) },
    );
  });
});
