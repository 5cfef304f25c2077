import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegisterRow } from '#shared/domain/register-row.ts';
import { districtNames } from '#shared/domain/rules.ts';
import {
  compareKeys,
  packRows,
  passes,
  type RankKey,
  rankOf,
  type SearchFilter,
  SearchIndex,
} from '#shared/domain/search-index.ts';
import { BytesPack, encodePack, PLAIN } from '#shared/domain/search-pack.ts';
import { registerRowOf } from '#shared/domain/search-terms.ts';
import { type District, KINDS } from '#shared/domain/types.ts';
import { makeUscc, USCC_CHARSET } from '#shared/domain/uscc.ts';
import { profileFixture } from '../../support/profiles.ts';

/**
 * The index walks posting lists and passes over rows that lack a gram of the query; comparing the
 * query with every row (`rankOf`) is the definition it must keep. A register whose texts collide on
 * purpose: syllables that share initials (杨立 yang li and 医疗 yi liao, 临安南 lin an nan and 兰亭 lan
 * ting), people's names held as aliases (as physicians are) that lend a row grams its name lacks, and
 * addresses on a few streets.
 */
const CORES = [
  '兰亭',
  '澜庭',
  '临安',
  '若水',
  '马若',
  '梅蓉',
  '美容',
  '一鸣',
  '依莲',
  '杨柳',
  '西湖',
  '喜虎',
];
const SUFFIXES = ['医疗美容诊所', '医疗美容门诊部', '医院', '美容诊所'];
const PEOPLE = ['杨立新', '杨柳', '欧阳立新', '王若曦', '吴一鸣', '林安南', '蓝天', '李安', '易辽', '米荣'];
const STREETS = ['延安路', '文三路', '杨柳路', '西溪路', '莫干山路'];
const DISTRICTS = districtNames() as District[];

function buildRegister(size: number): RegisterRow[] {
  let seed = 11;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  const rows: RegisterRow[] = [];
  for (let i = 0; rows.length < size; i++) {
    const district = pick(DISTRICTS);
    let org = '';
    for (let k = 0; k < 9; k++) org += USCC_CHARSET[Math.floor(next() * USCC_CHARSET.length)];
    const profile = profileFixture({
      uscc: makeUscc(`91330106${org}`),
      name: `${district.slice(0, 2)}${pick(CORES)}${pick(CORES)}${pick(SUFFIXES)}${i}`,
      aliases: Array.from({ length: Math.floor(next() * 3) }, () => pick(PEOPLE)),
      district,
      kind: pick(KINDS),
      address: `杭州市${district}${pick(STREETS)}${1 + Math.floor(next() * 50)}号`,
      version: 1,
    });
    rows.push(registerRowOf(profile));
  }
  return rows;
}

const ROWS = buildRegister(600);
const BUILT = new SearchIndex(ROWS);
const LOADED = new SearchIndex(new BytesPack(encodePack(packRows(ROWS), 1, new Date(0), PLAIN), PLAIN));

/** Every match of `q` in rank order, found by comparing it with each row. */
function scan(q: string, filter: SearchFilter): RankKey[] {
  return ROWS.filter((r) => passes(r, filter))
    .map((r) => rankOf(q, r))
    .filter((k): k is RankKey => k !== null)
    .sort(compareKeys);
}

const aRow = fc.integer({ min: 0, max: ROWS.length - 1 }).map((i) => ROWS[i] as RegisterRow);

/** What people type: characters of a name, alias or address; its pinyin spelt in full, by initials or begun; initials apart; stray letters; a district. */
const aQuery = fc.oneof(
  fc
    .tuple(aRow, fc.nat(), fc.nat(), fc.array(fc.constantFrom('whole', 'initial', 'begun'), { minLength: 8 }))
    .map(([row, i, start, forms]) => {
      const n = i % row.texts.length;
      const chars = Array.from(row.texts[n] ?? '');
      const syllables = (row.pinyin[n] ?? '').split(' ');
      const from = start % chars.length;
      const end = Math.min(chars.length, from + 1 + (forms.length % 5));
      const spelt = syllables.slice(from, end).map((syllable, k) => {
        const form = forms[k];
        if (form === 'initial') return syllable.slice(0, 1);
        if (form === 'begun' && from + k === end - 1) return syllable.slice(0, 1 + (start % syllable.length));
        return syllable;
      });
      return forms[0] === 'whole' && forms[1] === 'whole' ? chars.slice(from, end).join('') : spelt.join('');
    }),
  fc.tuple(aRow, fc.nat()).map(([row, at]) => {
    const initials = (row.pinyin[0] ?? '').split(' ').map((s) => s[0] ?? '');
    return initials.filter((_, k) => (at >> k) & 1).join('');
  }),
  fc.tuple(aRow, fc.nat(), fc.integer({ min: 2, max: 5 })).map(([row, at, n]) => {
    const chars = Array.from(row.address ?? '');
    const from = at % chars.length;
    return chars.slice(from, from + n).join('');
  }),
  fc.stringMatching(/^[aegilmnoruxyz]{1,6}$/),
  fc.constantFrom(...DISTRICTS, ...DISTRICTS.map((d) => d.slice(0, 2)), 'yl', 'yiliao', 'lanting', 'xhmr'),
);

const aFilter = fc.oneof(
  fc.constant<SearchFilter>({}),
  fc.constantFrom(...KINDS).map((kind): SearchFilter => ({ kind })),
  fc.constantFrom(...DISTRICTS).map((district): SearchFilter => ({ district })),
);

describe('the index finds exactly what comparing the query with every row finds', () => {
  it('every match in the same order, built in memory or read from bytes, and each first page as its head', () => {
    fc.assert(
      fc.property(aQuery, aFilter, fc.integer({ min: 1, max: 30 }), (q, filter, limit) => {
        const expected = scan(q, filter);
        for (const index of [BUILT, LOADED]) {
          const keys = (n: number) =>
            index.search({ query: q, filter, limit: n, after: null }).hits.map((h) => h.key);
          expect(keys(100_000), q).toEqual(expected);
          expect(keys(limit), `${q} limit ${limit}`).toEqual(expected.slice(0, limit));
        }
      }),
      { numRuns: 250 },
    );
  }, 120_000);

  it('with rows changed since the register was packed, as one register', () => {
    const held = new SearchIndex(ROWS.slice(100));
    for (const row of ROWS.slice(0, 100)) held.upsert(row);
    fc.assert(
      fc.property(aQuery, aFilter, (q, filter) => {
        const keys = held.search({ query: q, filter, limit: 100_000, after: null }).hits.map((h) => h.key);
        expect(keys, q).toEqual(scan(q, filter));
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('the queries that walk past rows lacking a gram still find every row that has them', () => {
    for (const q of [
      'yiliao',
      'yl',
      'lanting',
      'linan',
      'yangliu',
      'ylx',
      'mr',
      'meirong',
      'xhmr',
      'lanting医',
    ]) {
      expect(scan(q, {}).length, q).toBeGreaterThan(0);
      expect(
        BUILT.search({ query: q, filter: {}, limit: 100_000, after: null }).hits.map((h) => h.key),
        q,
      ).toEqual(scan(q, {}));
    }
  });
});
