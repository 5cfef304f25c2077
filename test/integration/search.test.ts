import { beforeAll, describe, expect, it } from 'vitest';
import { normaliseText } from '#shared/domain/search-query.ts';
import { searchableTexts } from '#shared/domain/search-terms.ts';
import type { createApp } from '#shared/http/app.ts';
import type { DemoData } from '#shared/local/demo.ts';
import { demoApp } from '../support/demo-app.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

describe('GET /v1/institutions against dynalite', () => {
  const dynamo = useTestDynamo();
  let app: ReturnType<typeof createApp>;
  let data: DemoData;

  beforeAll(async () => {
    ({ app, data } = await demoApp(dynamo, 150));
  });

  const get = async (params: Record<string, string>) =>
    app.request(`/v1/institutions?${new URLSearchParams(params).toString()}`);

  /** Follows nextCursor to the end and returns every uscc in the order served. */
  async function walk(params: Record<string, string>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 500; n++) {
      const res = await get(cursor ? { ...params, cursor } : params);
      expect(res.status).toBe(200);
      const page = await body(res);
      expect(page.items.length).toBeLessThanOrEqual(Number(params.limit ?? 20));
      seen.push(...page.items.map((i: { uscc: string }) => i.uscc));
      cursor = page.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('cursor never ended');
  }

  const matching = (needle: string) =>
    data.profiles
      .filter((p) => {
        const t = searchableTexts(p.name, p.aliases);
        return [...t.chinese, ...t.pinyin, ...t.initials].some((x) => x.includes(normaliseText(needle)));
      })
      .map((p) => p.uscc);

  it('finds names by two Chinese characters, best match first', async () => {
    const withAlias = data.profiles.find((p) => p.aliases.length > 0)!;
    const core = Array.from(withAlias.aliases[0]!).slice(0, 2).join('');
    const res = await get({ q: core, limit: '50' });
    expect(res.status).toBe(200);
    const page = await body(res);
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items)
      expect(Object.keys(item).sort()).toEqual([
        'closed',
        'closedOn',
        'district',
        'grade',
        'gradeLabel',
        'kind',
        'name',
        'publicity',
        'score',
        'uscc',
      ]);
    expect(new Set(await walk({ q: core, limit: '5' }))).toEqual(new Set(matching(core)));
    // An institution whose alias starts with the query ranks above ones that merely contain it.
    const firstSubstring = page.items.findIndex((i: { uscc: string }) => {
      const p = data.profiles.find((x) => x.uscc === i.uscc)!;
      return ![p.name, ...p.aliases].some((t) => normaliseText(t).startsWith(core));
    });
    const lastPrefix = page.items.findLastIndex((i: { uscc: string }) => {
      const p = data.profiles.find((x) => x.uscc === i.uscc)!;
      return [p.name, ...p.aliases].some((t) => normaliseText(t).startsWith(core));
    });
    if (firstSubstring >= 0 && lastPrefix >= 0) expect(lastPrefix).toBeLessThan(firstSubstring);
  });

  it('puts the institution whose whole name is the query first', async () => {
    const sharedPrefix = data.profiles.find((p) =>
      data.profiles.some((o) => o !== p && o.name.startsWith(p.name.replace(/（演示）$/, ''))),
    );
    for (const p of [data.profiles[9]!, ...(sharedPrefix ? [sharedPrefix] : [])]) {
      const page = await body(await get({ q: p.name, limit: '50' }));
      expect(page.items[0].uscc).toBe(p.uscc);
    }
  });

  it('finds names by full pinyin and by pinyin initials, full-width and spaced', async () => {
    const p = data.profiles[3]!;
    const t = searchableTexts(p.name, []);
    const initials = t.initials[0]!.slice(0, 4);
    // Names whose initials contain the letters come first; after them, names whose syllables start
    // with the letters in order but not side by side (docs/search.md "Ranking").
    const served = await walk({ q: initials, limit: '50' });
    const adjacent = matching(initials);
    expect(served).toContain(p.uscc);
    expect(served.slice(0, adjacent.length).sort()).toEqual(adjacent.sort());
    expect(new Set(served).size).toBe(served.length);
    const full = t.pinyin[0]!.slice(0, 9);
    const wide = ` ${full.toUpperCase().replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))} `;
    expect((await walk({ q: wide, limit: '50' })).sort()).toEqual(matching(full).sort());
  });

  it('walks every page of a broad query exactly once', async () => {
    const all = await walk({ q: '医', limit: '7' });
    expect(all.length).toBe(new Set(all).size);
    expect(new Set(all)).toEqual(new Set(data.profiles.map((p) => p.uscc)));
    const yi = await walk({ q: 'yi', limit: '13', grade: 'B' });
    expect(yi.length).toBe(new Set(yi).size);
    expect(new Set(yi)).toEqual(new Set(data.profiles.filter((p) => p.grade === 'B').map((p) => p.uscc)));
  });

  it('lists the whole register across kinds, and by district, grade and kind, without gaps', async () => {
    const everything = await walk({ limit: '11' });
    expect(everything.length).toBe(data.profiles.length);
    expect(new Set(everything)).toEqual(new Set(data.profiles.map((p) => p.uscc)));
    const cases: Array<[Record<string, string>, (p: DemoData['profiles'][number]) => boolean]> = [
      [{ district: '西湖区' }, (p) => p.district === '西湖区'],
      [{ district: '西湖区', kind: 'clinic' }, (p) => p.district === '西湖区' && p.kind === 'clinic'],
      [{ grade: 'UNGRADED' }, (p) => p.grade === null],
      [{ grade: 'C', kind: 'outpatient' }, (p) => p.grade === 'C' && p.kind === 'outpatient'],
      [{ district: '上城区', grade: 'A' }, (p) => p.district === '上城区' && p.grade === 'A'],
      [{ kind: 'hospital' }, (p) => p.kind === 'hospital'],
    ];
    for (const [params, keep] of cases) {
      const got = await walk({ ...params, limit: '4' });
      expect(got.length, JSON.stringify(params)).toBe(new Set(got).size);
      expect(new Set(got), JSON.stringify(params)).toEqual(
        new Set(data.profiles.filter(keep).map((p) => p.uscc)),
      );
    }
  });

  it("answers a district's name with its institutions and words of the address with the institutions there, names first", async () => {
    const holds = (p: DemoData['profiles'][number], needle: string) =>
      [p.name, ...p.aliases].some((t) => normaliseText(t).includes(needle));
    const inWest = data.profiles.filter((p) => p.district === '西湖区').map((p) => p.uscc);
    expect(inWest.length).toBeGreaterThan(0);
    expect(new Set(await walk({ q: '西湖区', limit: '7' }))).toEqual(new Set(inWest));
    // 西湖 is in names (西湖…) and is the district without its suffix: the names come first.
    const west = await walk({ q: '西湖', limit: '9' });
    const named = data.profiles.filter((p) => holds(p, '西湖')).map((p) => p.uscc);
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(west.slice(0, named.length))).toEqual(new Set(named));
    expect(new Set(west)).toEqual(new Set([...named, ...inWest]));
    for (const street of ['延安路', '文三路']) {
      const there = data.profiles.filter((p) => p.address.includes(street));
      expect(there.length, street).toBeGreaterThan(0);
      const served = await walk({ q: street, limit: '6' });
      expect(new Set(served), street).toEqual(new Set(there.map((p) => p.uscc)));
      expect(new Set(served).size).toBe(served.length);
    }
    const page = await body(await get({ q: '延安路', district: '上城区' }));
    for (const item of page.items) expect(item.district).toBe('上城区');
  });

  it('looks an exact uscc up directly, honouring the filters', async () => {
    const p = data.profiles[5]!;
    const page = await body(await get({ q: ` ${p.uscc.toLowerCase()} ` }));
    expect(page).toEqual({
      items: [expect.objectContaining({ uscc: p.uscc, name: p.name })],
      nextCursor: null,
    });
    const other = p.district === '西湖区' ? '上城区' : '西湖区';
    expect((await body(await get({ q: p.uscc, district: other }))).items).toEqual([]);
  });

  it('finds the README example xhmr (西湖…美容) on the demo data', async () => {
    const served = await walk({ q: 'xhmr', limit: '20' });
    const west = data.profiles.filter((p) => p.name.startsWith('西湖')).map((p) => p.uscc);
    expect(west.length).toBeGreaterThan(0);
    expect([...served].sort()).toEqual(expect.arrayContaining(west.sort()));
  });

  it('refuses a cursor that was tampered with, malformed or reused with other parameters', async () => {
    const first = await body(await get({ q: '医', limit: '3' }));
    const cursor: string = first.nextCursor;
    expect(cursor).toBeTruthy();
    expect((await get({ q: '医', limit: '5', cursor })).status).toBe(200);
    const [payload, sig] = cursor.split('.');
    const forged = Buffer.from(
      Buffer.from(payload!, 'base64url')
        .toString()
        .replace(/"key":\[/, '"key":[0,'),
    ).toString('base64url');
    const bads: Array<Record<string, string>> = [
      { q: '医', cursor: `${forged}.${sig}` },
      { q: '医', cursor: 'not-a-cursor' },
      { q: '医', cursor: `${payload}.` },
      { q: '医院', cursor },
      { q: '医', grade: 'A', cursor },
      { district: '西湖区', cursor },
    ];
    for (const bad of bads) {
      const res = await get(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await body(res)).errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    }
  });

  it('names every invalid parameter', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ q: '医'.repeat(65) }, 'q'],
      [{ district: '杭州区' }, 'district'],
      [{ grade: 'E' }, 'grade'],
      [{ grade: 'a' }, 'grade'],
      [{ kind: 'general' }, 'kind'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '51' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: '2.5' }, 'limit'],
    ];
    for (const [params, field] of cases) {
      const res = await get(params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect((await body(res)).errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    // 64 full-width characters are 64 after NFKC: accepted.
    expect((await get({ q: 'Ａ'.repeat(64) })).status).toBe(200);
    const both = await body(await get({ grade: 'E', limit: '99' }));
    expect(both.errors.map((e: { path: string }) => e.path).sort()).toEqual(['grade', 'limit']);
  });

  it('sends Cache-Control and an ETag, and answers If-None-Match with 304', async () => {
    const res = await get({ q: '医' });
    expect(res.headers.get('cache-control')).toContain('max-age');
    const etag = res.headers.get('etag')!;
    const again = await app.request('/v1/institutions?q=%E5%8C%BB', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });
});
