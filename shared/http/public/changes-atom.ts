import { Feed } from 'feed';
import { describeChange, type PublicChangeEvent } from '../../domain/change-events.ts';
import { shanghaiIso } from '../../domain/dates.ts';
import { rulebook } from '../../domain/rules.ts';
import { shownSafely } from '../../domain/text.ts';
import { pendingText } from '../pages/layout.tsx';
import type { FeedPublicity } from './feed-publicity.ts';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeAttr = escapeHtml;

function entryDate(e: PublicChangeEvent): Date {
  const d = new Date(e.occurredAt);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

export interface AtomPage {
  /** The public site, e.g. https://credit.example.gov.cn */
  baseUrl: string;
  /** This document's own URL (rel="self"). */
  selfUrl: string;
  /** The next page (rel="next"), when the reader should continue. */
  nextUrl: string | null;
  /** Identifies the feed (one per filter), stable across pages. */
  feedId: string;
  title: string;
  /** Time of the newest event of the whole feed, so the document is a function of the feed's head. */
  updated: Date;
  entries: PublicChangeEvent[];
  /** Institution names by uscc, for readable titles (missing names fall back to the code). */
  names: ReadonlyMap<string, string>;
  /** By event id: where the publicity an entry announced stands today, while it is still running. */
  publicity?: ReadonlyMap<string, FeedPublicity>;
}

/**
 * The change feed as Atom 1.0 (RFC 4287) for ordinary feed readers, built with the maintained `feed`
 * package. Entry ids are tag URIs (RFC 4151) over the sequence number, so they never change.
 */
export function changesAtom(page: AtomPage): string {
  const base = page.baseUrl.replace(/\/$/, '');
  const host = new URL(base).hostname;
  const { wording } = rulebook();
  const feed = new Feed({
    id: page.feedId,
    title: page.title,
    description: `${wording.siteTitle.replace(/查询$/, '')}公示、公布、降级等变更动态（公开数据，可自由订阅）`,
    updated: page.updated,
    generator: 'yimei-credit',
    language: 'zh-CN',
    link: `${base}/`,
    feedLinks: { atom: page.selfUrl },
    author: { name: wording.authority, link: `${base}/` },
    copyright: `公开数据，引用请注明来源：${wording.schemeName}平台`,
  });
  for (const e of page.entries) {
    const stored = page.names.get(e.uscc);
    const name = stored === undefined ? undefined : shownSafely(stored);
    const pending = page.publicity?.get(e.id);
    const sentence = shownSafely(
      `${describeChange(e, name)}${pending ? `（目前${pendingText(pending)}）` : ''}`,
    );
    const detail = [
      `<p>${escapeHtml(sentence)}</p>`,
      `<p>统一社会信用代码：${escapeHtml(e.uscc)}；所在区县：${escapeHtml(e.district)}；发生时间：${escapeHtml(e.occurredAt)}</p>`,
    ].join('');
    feed.addItem({
      title: escapeHtml(`${e.typeLabel}：${name ?? e.uscc}`),
      id: `tag:${host},2026:change-event:${e.id}`,
      link: `${base}/i/${encodeURIComponent(e.uscc)}`,
      date: entryDate(e),
      description: escapeHtml(sentence),
      content: detail,
      category: [{ term: e.type, name: e.typeLabel }, { term: e.district }],
    });
  }
  // The library writes times in UTC (Z); the API gives every time with the +08:00 offset.
  let xml = feed.atom1().replace(/<(updated|published)>([^<]+)<\/\1>/g, (whole, tag: string, iso: string) => {
    const instant = new Date(iso);
    return Number.isNaN(instant.getTime()) ? whole : `<${tag}>${shanghaiIso(instant)}</${tag}>`;
  });
  if (page.nextUrl) {
    // The library writes alternate/self/hub links only; paging (RFC 5005) needs rel="next" too.
    const selfLink = xml.indexOf('<link rel="self"');
    const next = `<link rel="next" href="${escapeAttr(page.nextUrl)}"/>\n    `;
    xml = selfLink >= 0 ? `${xml.slice(0, selfLink)}${next}${xml.slice(selfLink)}` : xml;
  }
  return xml;
}
