import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '#shared/http/app.ts';
import type { DemoData } from '#shared/local/demo.ts';
import { demoApp } from '../support/demo-app.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed XML is checked by the assertions
type Xml = any;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'link', 'category'].includes(name),
});

function parseFeed(xml: string): Xml {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).feed;
}

const text = (node: Xml): string => (typeof node === 'string' ? node : (node?.['#text'] ?? ''));
const link = (node: Xml, rel: string) => node.link.find((l: Xml) => l['@rel'] === rel)?.['@href'];

describe('the change feed as Atom', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let data: DemoData;

  beforeAll(async () => {
    ({ app, data } = await demoApp(dynamo, 30));
  });

  it('serves a valid Atom document of the newest events with ids, titles, dates and links', async () => {
    const res = await app.request('/v1/changes.atom?limit=10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseFeed(await res.text());

    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe('https://credit.example.test/v1/changes.atom');
    expect(text(feed.title)).toBe('杭州市美容医疗机构量化分级变更动态');
    const newest = data.events.at(-1)!;
    expect(new Date(feed.updated).getTime()).toBe(new Date(newest.occurredAt).getTime());
    expect(link(feed, 'self')).toBe('https://credit.example.test/v1/changes.atom?limit=10');
    expect(link(feed, 'alternate')).toBe('https://credit.example.test/');
    expect(feed.author.name).toBe('杭州市卫生健康委员会');

    expect(feed.entry).toHaveLength(10);
    const expected = data.events.slice(-10).reverse();
    feed.entry.forEach((entry: Xml, i: number) => {
      const event = expected[i]!;
      const profile = data.profiles.find((p) => p.uscc === event.uscc)!;
      expect(entry.id).toBe(`tag:credit.example.test,2026:change-event:${event.seq}`);
      expect(text(entry.title)).toContain(profile.name);
      expect(text(entry.title)).toMatch(/^(量化分级结果|机构纳入|等级下调|公示异议|分级结果撤回|机构注销)/);
      expect(new Date(entry.updated).getTime()).toBe(new Date(event.occurredAt).getTime());
      expect(entry.link[0]['@href']).toBe(`https://credit.example.test/i/${event.uscc}`);
      expect(text(entry.content)).toContain(event.district);
      expect(entry.category.map((c: Xml) => c['@term'])).toContain(event.type);
    });
    expect(new Set(feed.entry.map((e: Xml) => e.id)).size).toBe(10);
  });

  it('pages from a cursor in sequence order with a rel="next" link, and negotiates Atom on /v1/changes', async () => {
    const first = await body(await app.request('/v1/changes?limit=5'));
    const res = await app.request(`/v1/changes?limit=5&since=${encodeURIComponent(first.nextCursor)}`, {
      headers: { Accept: 'application/atom+xml' },
    });
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    expect(res.headers.get('vary')).toContain('Accept');
    const feed = parseFeed(await res.text());
    expect(feed.entry.map((e: Xml) => e.id.split(':').at(-1))).toEqual(['6', '7', '8', '9', '10']);
    const next = new URL(link(feed, 'next'));
    expect(next.pathname).toBe('/v1/changes.atom');
    const nextPage = parseFeed(await (await app.request(`${next.pathname}${next.search}`)).text());
    expect(nextPage.entry[0].id).toMatch(/:11$/);

    const json = await app.request('/v1/changes?limit=1', {
      headers: { Accept: 'application/json, application/atom+xml;q=0.5' },
    });
    expect(json.headers.get('content-type')).toContain('application/json');
  });

  it('keeps the filter in the title and ids, and answers If-None-Match with 304', async () => {
    const district = data.events[0]!.district;
    const url = `/v1/changes.atom?type=institution_registered&district=${encodeURIComponent(district)}`;
    const res = await app.request(url);
    const feed = parseFeed(await res.text());
    expect(text(feed.title)).toContain(district);
    expect(feed.id).toContain('type=institution_registered');
    expect(feed.entry.length).toBeGreaterThan(0);
    for (const entry of feed.entry) {
      const terms = entry.category.map((c: Xml) => c['@term']);
      expect(terms).toEqual(['institution_registered', district]);
    }
    const again = await app.request(url, { headers: { 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});
