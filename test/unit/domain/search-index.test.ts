import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import { districtNames } from '#shared/domain/rules.ts';
import { compareKeys, packRows, type RankKey, SearchIndex, TIER } from '#shared/domain/search-index.ts';
import { type BlockCodec, BytesPack, encodePack } from '#shared/domain/search-pack.ts';
import { normaliseText } from '#shared/domain/search-query.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { type District, GRADES, KINDS } from '#shared/domain/types.ts';
import { makeUscc, USCC_CHARSET } from '#shared/domain/uscc.ts';
import { profileFixture } from '../../support/profiles.ts';

/**
 * The search at the size of a city, with names like real ones: almost all start with 杭州, share
 * characters (医疗美容, 美, 艺, 华) and sound alike (yi/yi/yi, mei/mei, hua/hua).
 */
const CORES = [
  '艺星',
  '美莱',
  '伊美尔',
  '华美',
  '华山',
  '艺美',
  '亿美',
  '逸美',
  '薇琳',
  '维琳',
  '时光',
  '新丽',
  '欣丽',
  '连天美',
  '美之源',
  '颜术',
  '延寿',
  '丽都',
  '立都',
  '瑞丽',
  '睿丽',
  '星范',
  '鑫帆',
  '尚美',
  '上美',
];
const SUFFIXES = ['医疗美容医院', '医疗美容门诊部', '医疗美容诊所', '整形外科医院', '美容诊所'];
const PLACES = ['杭州', '杭州', '杭州', '杭州', '杭州西湖', '杭州滨江', '萧山', '余杭'];
const SIZE = 1_200;

function buildRegister(): RegisterRow[] {
  const rows: RegisterRow[] = [];
  const names = new Set<string>();
  let seed = 7;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  for (let i = 0; rows.length < SIZE; i++) {
    let name = `${pick(PLACES)}${pick(CORES)}${pick(SUFFIXES)}`;
    if (names.has(name)) name = `${name.replace(/(医院|门诊部|诊所)$/, '')}第${i}分院`;
    if (names.has(name)) continue;
    names.add(name);
    let org = '';
    for (let k = 0; k < 9; k++) org += USCC_CHARSET[Math.floor(next() * USCC_CHARSET.length)];
    const district = pick(districtNames()) as District;
    const profile: InstitutionProfile = profileFixture({
      uscc: makeUscc(`91330106${org}`),
      name,
      aliases: next() < 0.1 ? [`${pick(CORES)}医美`] : [],
      district,
      kind: pick(KINDS),
      grade: next() < 0.8 ? pick(GRADES) : null,
    });
    rows.push(registerRowOf(profile));
  }
  return rows;
}

const ROWS = buildRegister();
const INDEX = new SearchIndex(ROWS);

/** Follows the cursor to the end; asserts no page is empty while more follow. */
function walk(query: string, limit: number, filter = {}) {
  const pages: RegisterRow[][] = [];
  const keys: RankKey[] = [];
  let after: RankKey | null = null;
  for (let n = 0; n < 10_000; n++) {
    const page = INDEX.search({ query, filter, limit, after });
    if (page.next) expect(page.hits.length).toBe(limit);
    pages.push(page.hits.map((h) => h.row));
    keys.push(...page.hits.map((h) => h.key));
    if (!page.next) return { pages, keys, all: pages.flat() };
    after = page.next;
  }
  throw new Error('the cursor never ended');
}

/** The oracle's view of each text: the characters, the initials, and the pinyin from each syllable on. */
const SPELLINGS = new Map(
  ROWS.map((row) => [
    row.uscc,
    row.texts.map((text, i) => {
      const syl = (row.pinyin[i] ?? '').split(' ');
      return {
        text,
        initials: syl.map((s) => s[0]).join(''),
        tails: syl.map((_, n) => syl.slice(n).join('')),
      };
    }),
  ]),
);

/** The oracle: substrings in characters, or syllable-aligned spellings in pinyin or initials. */
function obviouslyMatches(row: RegisterRow, q: string): boolean {
  return (SPELLINGS.get(row.uscc) ?? []).some(
    (t) =>
      t.text.includes(q) ||
      (/^[a-z]+$/.test(q) && (t.initials.includes(q) || t.tails.some((tail) => tail.startsWith(q)))),
  );
}

const aRow = fc.integer({ min: 0, max: ROWS.length - 1 }).map((i) => ROWS[i] as RegisterRow);

/** Queries people type for a given institution. */
const aQuery = aRow.chain((row) => {
  const chars = Array.from(row.texts[0] ?? '');
  const syl = (row.pinyin[0] ?? '').split(' ');
  return fc
    .record({
      start: fc.integer({ min: 0, max: chars.length - 1 }),
      len: fc.integer({ min: 1, max: chars.length }),
      form: fc.constantFrom('chars', 'pinyin', 'initials', 'mixed', 'exact', 'wide'),
    })
    .map(({ start, len, form }) => {
      const end = Math.min(chars.length, start + len);
      const part = chars.slice(start, end).join('');
      const py = syl.slice(start, end);
      let q: string;
      if (form === 'chars') q = part;
      else if (form === 'pinyin') q = py.join('');
      else if (form === 'initials') q = py.map((s) => s[0]).join('');
      else if (form === 'mixed') q = py.map((s, n) => (n < 2 ? s[0] : chars[start + n])).join('');
      else if (form === 'exact') q = row.name;
      else q = ` ${part.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))} `;
      return { row, q, form };
    });
});

describe('search over 1,200 institutions named like real ones', () => {
  it('finds the institution a query was made from, and everything that obviously matches', () => {
    fc.assert(
      fc.property(aQuery, ({ row, q }) => {
        const all = INDEX.search({ query: q, filter: {}, limit: 100_000, after: null }).hits.map(
          (h) => h.row,
        );
        const found = new Set(all.map((r) => r.uscc));
        expect(found.has(row.uscc)).toBe(true);
        const needle = normaliseText(q);
        for (const r of ROWS) if (obviouslyMatches(r, needle)) expect(found.has(r.uscc)).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('returns every match exactly once across pages, best first, and page 1 is the best min(k, limit)', () => {
    fc.assert(
      fc.property(aQuery, fc.integer({ min: 3, max: 50 }), ({ q }, limit) => {
        const whole = INDEX.search({ query: q, filter: {}, limit: 100_000, after: null });
        const { pages, keys, all } = walk(q, limit);
        expect(all.length).toBe(whole.hits.length);
        expect(new Set(all.map((r) => r.uscc)).size).toBe(all.length);
        expect(pages[0]?.map((r) => r.uscc)).toEqual(whole.hits.slice(0, limit).map((h) => h.row.uscc));
        for (let i = 1; i < keys.length; i++) {
          expect(compareKeys(keys[i - 1] as RankKey, keys[i] as RankKey)).toBeLessThan(0);
        }
      }),
      { numRuns: 80 },
    );
  }, 120_000);

  it('pages broad queries (a letter, common pinyin, the city) exactly as the whole ordered list, when a page stops early', () => {
    for (const q of [
      'h',
      'hz',
      'hangzhou',
      'hangz',
      '杭',
      '杭州',
      'yl',
      '医疗美容',
      'hzmr',
      'meirong',
      'hzyl',
    ]) {
      const whole = INDEX.search({ query: q, filter: {}, limit: 100_000, after: null });
      expect(whole.hits.length, q).toBeGreaterThan(50);
      for (const limit of [1, 7, 20, 50]) {
        const first = INDEX.search({ query: q, filter: {}, limit, after: null });
        expect(
          first.hits.map((h) => h.key),
          `${q} limit ${limit}`,
        ).toEqual(whole.hits.slice(0, limit).map((h) => h.key));
        if (limit >= 20) {
          expect(walk(q, limit).keys, `${q} limit ${limit}`).toEqual(whole.hits.map((h) => h.key));
        }
      }
    }
    // A page of name prefixes is settled without comparing the rest of the register.
    expect(INDEX.search({ query: 'hangzhou', filter: {}, limit: 20, after: null }).examined).toBeLessThan(
      ROWS.length / 4,
    );
  });

  it('puts the exact name first, then names that start with the query', () => {
    fc.assert(
      fc.property(aRow, (row) => {
        const page = INDEX.search({ query: row.name, filter: {}, limit: 5, after: null });
        expect(page.hits[0]?.row.uscc).toBe(row.uscc);
        expect(page.hits[0]?.key[0]).toBe(TIER.exact);
        const prefix = Array.from(row.name).slice(0, 4).join('');
        const tiers = walk(prefix, 50).keys.map((k) => k[0]);
        expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the filters and finds by uscc and alias', () => {
    fc.assert(
      fc.property(aRow, fc.constantFrom(...districtNames()), (row, district) => {
        const { all } = walk('杭州', 50, { district });
        expect(all.every((r) => r.district === district)).toBe(true);
        // 杭州 is in every address, so the district's institutions match by name or by address.
        expect(all.length).toBe(
          ROWS.filter(
            (r) => r.district === district && (r.name.includes('杭州') || r.address?.includes('杭州')),
          ).length,
        );
        const byUscc = INDEX.search({ query: row.uscc, uscc: row.uscc, filter: {}, limit: 5, after: null });
        expect(byUscc.hits.map((h) => h.row.uscc)).toEqual([row.uscc]);
        for (const alias of row.aliases) {
          expect(walk(alias, 50).all.map((r) => r.uscc)).toContain(row.uscc);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('matches Latin letters by whole syllables, initials, a syllable begun and letters mixed with characters', () => {
    const index = new SearchIndex([registerRowOf(profileFixture({ name: '杭州艺星医疗美容医院' }))]);
    const hits = (q: string) => index.search({ query: q, filter: {}, limit: 5, after: null }).hits.length;
    for (const q of [
      'hangzhou',
      'hz',
      'hz艺星',
      'hangz',
      'yixing',
      'yx',
      'yixingyl',
      'ＨＺ 艺星',
      'hzyxylmryy',
    ]) {
      expect(hits(q), q).toBe(1);
    }
    for (const q of ['angzhou', 'hzq', 'zz', '艺星hz', 'yz']) expect(hits(q), q).toBe(0);
    // Initials in order but apart ("hzmr": 杭州…美容) rank after every adjacent match.
    expect(index.search({ query: 'hzmr', filter: {}, limit: 5, after: null }).hits[0]?.key[0]).toBe(
      TIER.initialsInOrder,
    );
  });

  it('matches Latin letters written in the name itself, and no name lacking a letter of the query', () => {
    const index = new SearchIndex([
      registerRowOf(profileFixture({ name: '杭州ABC医疗美容诊所' })),
      registerRowOf(profileFixture({ name: '杭州艺星医疗美容医院' })),
    ]);
    const names = (q: string) =>
      index.search({ query: q, filter: {}, limit: 5, after: null }).hits.map((h) => h.row.name);
    expect(names('abc')).toEqual(['杭州ABC医疗美容诊所']);
    expect(names('hzabc')).toEqual(['杭州ABC医疗美容诊所']);
    expect(names('abc医疗')).toEqual(['杭州ABC医疗美容诊所']);
    expect(names('abd')).toEqual([]);
    expect(names('hz')).toHaveLength(2);
    expect(names('hzq')).toEqual([]);
  });

  it('follows a change: an upsert replaces a row and an older row never replaces a newer one', () => {
    const p = profileFixture({ name: '杭州旧名医疗美容诊所', version: 2 });
    const index = new SearchIndex([registerRowOf(p)]);
    index.upsert(registerRowOf({ ...p, name: '杭州新名医疗美容诊所', version: 3 }));
    index.upsert(registerRowOf({ ...p, name: '杭州更旧医疗美容诊所', version: 1 }));
    const names = (q: string) => index.search({ query: q, filter: {}, limit: 5, after: null }).hits;
    expect(names('旧名')).toEqual([]);
    expect(names('更旧')).toEqual([]);
    expect(names('新名').map((h) => h.row.name)).toEqual(['杭州新名医疗美容诊所']);
  });
});

describe('places in the query: a district by name, words of the address', () => {
  const row = (name: string, district: string, address: string, aliases: string[] = []) =>
    registerRowOf(profileFixture({ name, district: district as District, address, aliases }));
  const ROWS_BY_PLACE = [
    row('杭州艺星医疗美容医院', '西湖区', '杭州市西湖区延安路100号'),
    row('西湖悦颜医疗美容诊所', '上城区', '杭州市上城区解放路1号'),
    row('杭州美莱医疗美容门诊部', '西湖区', '杭州市西湖区文三路20号'),
    row('杭州华美整形外科医院', '拱墅区', '杭州市拱墅区延安路500号'),
    row('延安路医疗美容诊所', '拱墅区', '杭州市拱墅区湖墅南路8号'),
    row('建德新丽医疗美容诊所', '建德市', '建德市新安江街道江滨路3号'),
  ];
  const index = new SearchIndex(ROWS_BY_PLACE);
  const search = (query: string, filter = {}, limit = 50) =>
    index.search({ query, filter, limit, after: null }).hits;
  const names = (query: string, filter = {}) => search(query, filter).map((h) => h.row.name);

  it("answers a district's name, whole or without its suffix, with that district's institutions", () => {
    expect(names('西湖区')).toEqual(['杭州艺星医疗美容医院', '杭州美莱医疗美容门诊部']);
    expect(search('西湖区').map((h) => h.key[0])).toEqual([TIER.district, TIER.district]);
    expect(names(' 建德市 ')).toEqual(['建德新丽医疗美容诊所']);
    // Within the tier, shorter names first (as everywhere in the ranking).
    expect(names('拱墅')).toEqual(['延安路医疗美容诊所', '杭州华美整形外科医院']);
  });

  it('ranks names that hold the query before the places that do', () => {
    expect(names('西湖')).toEqual(['西湖悦颜医疗美容诊所', '杭州艺星医疗美容医院', '杭州美莱医疗美容门诊部']);
    expect(search('西湖').map((h) => h.key[0])).toEqual([TIER.prefix, TIER.district, TIER.district]);
    expect(names('延安路')).toEqual(['延安路医疗美容诊所', '杭州华美整形外科医院', '杭州艺星医疗美容医院']);
    expect(search('延安路').map((h) => h.key[0])).toEqual([TIER.prefix, TIER.address, TIER.address]);
  });

  it('finds the institutions whose address holds the words, nearer the start first, with the filters kept', () => {
    expect(names('文三路')).toEqual(['杭州美莱医疗美容门诊部']);
    expect(names('江滨路3号')).toEqual(['建德新丽医疗美容诊所']);
    expect(names('延安路', { district: '西湖区' })).toEqual(['杭州艺星医疗美容医院']);
    expect(names('延安路', { kind: 'outpatient' })).toEqual([]);
    // One character, Latin letters, or words the address does not hold in that order: no place match.
    expect(names('路')).toEqual(['延安路医疗美容诊所']);
    expect(names('wensanlu')).toEqual([]);
    expect(names('文三延安')).toEqual([]);
  });

  it('pages place matches after name matches, each exactly once', () => {
    for (const query of ['西湖', '延安路', '杭州市', '医疗美容']) {
      const whole = search(query).map((h) => h.key);
      const keys: RankKey[] = [];
      let after: RankKey | null = null;
      for (let n = 0; n < 20; n++) {
        const page = index.search({ query, filter: {}, limit: 1, after });
        keys.push(...page.hits.map((h) => h.key));
        if (!page.next) break;
        after = page.next;
      }
      expect(keys, query).toEqual(whole);
    }
    // No name holds 杭州市; every address in the city does.
    expect(search('杭州市').map((h) => h.key[0])).toEqual(Array(5).fill(TIER.address));
  });

  it('reads rows kept before addresses were: they match by name and district only', () => {
    const old = { ...row('杭州旧址医疗美容诊所', '西湖区', '杭州市西湖区曙光路1号'), address: undefined };
    const held = new SearchIndex([old]);
    const found = (query: string) => held.search({ query, filter: {}, limit: 5, after: null }).hits.length;
    expect([found('旧址'), found('西湖区'), found('曙光路')]).toEqual([1, 1, 0]);
  });

  it('follows a move: an upsert with a new address and district is found there, not at the old one', () => {
    const p = profileFixture({ name: '杭州搬迁医疗美容诊所', address: '杭州市西湖区文三路9号', version: 1 });
    const moving = new SearchIndex([registerRowOf(p)]);
    moving.upsert(
      registerRowOf({ ...p, district: '滨江区' as District, address: '杭州市滨江区江南大道9号', version: 2 }),
    );
    const found = (query: string) => moving.search({ query, filter: {}, limit: 5, after: null }).hits.length;
    expect([found('文三路'), found('西湖区'), found('江南大道'), found('滨江')]).toEqual([0, 0, 1, 1]);
  });
});

describe('the packed register: read from bytes as searches need it, and changes held apart', () => {
  /** Reverses each block, so a block read without its codec is garbage; counts the blocks read. */
  const counting = () => {
    const codec = { name: 'reversed', unpacked: 0 } as BlockCodec & { unpacked: number };
    codec.pack = (b) => b.slice().reverse();
    codec.unpack = (b) => {
      codec.unpacked++;
      return b.slice().reverse();
    };
    return codec;
  };
  const keysOf = (index: SearchIndex, query: string, limit = 100_000, filter = {}) =>
    index.search({ query, filter, limit, after: null }).hits.map((h) => h.key);

  it('answers every query as the index built in memory, reading only the blocks of the rows it meets', () => {
    const codec = counting();
    const bytes = encodePack(packRows(ROWS), 7, new Date('2026-11-23T02:00:00Z'), codec);
    const pack = new BytesPack(bytes, codec);
    const packed = new SearchIndex(pack);
    expect([pack.v, packed.size, codec.unpacked]).toEqual([7, ROWS.length, 0]);
    const first = ROWS[17] as RegisterRow;
    expect(keysOf(packed, first.name, 5)).toEqual(keysOf(INDEX, first.name, 5));
    expect(codec.unpacked).toBeLessThan(Math.ceil(ROWS.length / 32) / 4);
    fc.assert(
      fc.property(aQuery, fc.constantFrom({}, { kind: 'clinic' as const }), ({ q }, filter) => {
        expect(keysOf(packed, q, 100_000, filter)).toEqual(keysOf(INDEX, q, 100_000, filter));
      }),
      { numRuns: 150 },
    );
    expect(packed.get(first.uscc)).toEqual(INDEX.get(first.uscc));
    expect([...packed.rows()].map((r) => r.uscc).sort()).toEqual(ROWS.map((r) => r.uscc).sort());
  }, 120_000);

  it('searches the changed rows with the packed ones as one register, before and after packing them again', () => {
    const renamed = (r: RegisterRow, n: number): RegisterRow => {
      const name = `萧山新名${n}医疗美容诊所`;
      const texts = registerRowOf(profileFixture({ name }));
      return { ...r, name, texts: texts.texts, pinyin: texts.pinyin, sortName: texts.sortName, v: r.v + 1 };
    };
    const base = ROWS.slice(0, 100);
    // 300 changes are held apart; 1,100 are more than are held apart, so they are packed again.
    for (const changes of [300, 1_100]) {
      const later = [...ROWS.slice(100, 100 + changes), ...base.slice(0, 60).map(renamed)];
      const index = new SearchIndex(base);
      for (const r of later) index.upsert(r);
      // An older row never replaces a newer one, whichever part holds it.
      for (const r of base.slice(0, 60)) index.upsert(r);
      const fresh = new SearchIndex([...base.slice(60), ...later]);
      expect(index.size).toBe(fresh.size);
      for (const q of [
        '萧山',
        'xiaoshan',
        'xsxm',
        '新名1',
        '医疗美容',
        'hz',
        '杭州艺星',
        '西湖区',
        'xs新名',
      ]) {
        expect(keysOf(index, q), q).toEqual(keysOf(fresh, q));
        expect(keysOf(index, q, 7), q).toEqual(keysOf(fresh, q, 7));
      }
      expect(index.near.size).toBe(fresh.near.size);
    }
  }, 120_000);
});
