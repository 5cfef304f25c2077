import { CACHE_POLICIES, type CachePolicy } from '#shared/http/cache.ts';
import { DEMO_NAME_CORES } from '#shared/local/demo.ts';
import { cacheKeyOf, edgeRequestOf, loadCacheKeyFunction } from '../infra/edge/cache-key.ts';

/**
 * `npm run bench -- edge-cache`: a simulated day of public lookups replayed through a model of the CDN
 * cache with the TTLs the app sends (shared/http/cache.ts), keyed as before (every query parameter,
 * Accept and Origin, as sent) and after the viewer-request function (infra/edge/cache-key.js, the same
 * file CloudFront runs). Institutions and search terms are drawn from Zipf distributions; requests carry
 * the Accept values of WeChat's in-app browser, mobile browsers and API clients, the parameters WeChat
 * adds to shared links, and the spellings visitors type. The model: viewers spread over edge locations,
 * each with its own cache, behind one regional cache; a copy is fresh for s-maxage and then served
 * stale (a hit, refreshed in the background) for stale-while-revalidate. Deterministic (seeded).
 */
const REQUESTS = Number(process.env.BENCH_EDGE_REQUESTS ?? 200_000);
const INSTITUTIONS = Number(process.env.BENCH_EDGE_INSTITUTIONS ?? 1_000);
const TERMS = 1_500;
const DAY = 86_400;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws ranks 0…n-1 with probability ∝ 1/(rank+1)^s. */
function zipf(n: number, s: number, random: () => number) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s;
    cdf[i] = sum;
  }
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function pick<T>(random: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  let x = random() * weighted.reduce((n, [, w]) => n + w, 0);
  for (const [v, w] of weighted) {
    x -= w;
    if (x <= 0) return v;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

const WECHAT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/wxpic,image/tpg,image/webp,image/apng,*/*;q=0.8';
const PAGE_ACCEPTS = [
  [WECHAT, 55],
  ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 25],
  [
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
    20,
  ],
] as const;
const API_ACCEPTS = [
  ['application/json', 40],
  ['*/*', 35],
  ['application/json, text/plain, */*', 25],
] as const;
const ORIGINS = [
  [null, 50],
  ['https://www.hzmyxh.example', 20],
  ['https://assoc-a.example', 15],
  ['https://assoc-b.example', 10],
  ['https://m.hangzhou.example', 5],
] as const;
const SHARE = [
  ['', 60],
  ['from=singlemessage&isappinstalled=0', 25],
  ['from=groupmessage&isappinstalled=0', 10],
  ['from=timeline', 5],
] as const;
const DISTRICTS = [
  '上城',
  '拱墅',
  '西湖',
  '滨江',
  '萧山',
  '余杭',
  '临平',
  '钱塘',
  '富阳',
  '临安',
  '桐庐',
  '淳安',
  '建德',
];
const CORE_PINYIN = [
  'yueyan',
  'suyan',
  'lanting',
  'yinghua',
  'chuhe',
  'zhimei',
  'shiguang',
  'yunshang',
  'qingxi',
  'mumian',
  'xinghe',
  'ruoshui',
  'tingyu',
  'qingning',
  'yuebai',
];
/** The first demo name cores (shared/local/demo.ts), whose pinyin a visitor may type instead. */
const CORES = DEMO_NAME_CORES.slice(0, CORE_PINYIN.length);

/** The search vocabulary, most asked first: districts, names and their pinyin, then longer names. */
function vocabulary(): string[] {
  const terms: string[] = [];
  for (const [i, c] of CORES.entries()) terms.push(c, CORE_PINYIN[i] as string);
  for (const d of DISTRICTS) terms.push(d, `${d}区`);
  for (const d of DISTRICTS) for (const c of CORES) terms.push(`${d}${c}`);
  for (let n = 0; terms.length < TERMS; n++) terms.push(`${CORES[n % CORES.length]}医疗美容${n}`);
  return terms.slice(0, TERMS);
}

/** How a visitor types a term: as is mostly, sometimes with spaces or capitals. */
function typed(term: string, random: () => number): string {
  const latin = /^[a-z]+$/.test(term);
  return pick(random, [
    [term, 70],
    [` ${term}`, 8],
    [`${term} `, 8],
    [latin ? term.toUpperCase() : `${term}\u3000`, 7],
    [latin ? term[0]?.toUpperCase() + term.slice(1) : ` ${term} `, 7],
  ]);
}

type Kind = 'detail' | 'search' | 'other';
interface Request {
  t: number;
  pop: number;
  kind: Kind;
  url: string;
  headers: Record<string, string>;
  policy: CachePolicy;
}

function day(): Request[] {
  const random = rng(20261207);
  const institution = zipf(INSTITUTIONS, 0.9, random);
  const term = zipf(TERMS, 1.0, random);
  const terms = vocabulary();
  const out: Request[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = random() * DAY;
    const pop = pick(random, [
      [0, 40],
      [1, 30],
      [2, 20],
      [3, 10],
    ]);
    const share = pick(random, SHARE);
    const origin = pick(random, ORIGINS);
    const uscc = `U${String(institution()).padStart(6, '0')}`;
    const what = pick(random, [
      ['page', 40],
      ['detail', 15],
      ['search', 25],
      ['searchPage', 15],
      ['stats', 5],
    ] as const);
    const page = { Accept: pick(random, PAGE_ACCEPTS) };
    const api: Record<string, string> = {
      Accept: pick(random, API_ACCEPTS),
      ...(origin ? { Origin: origin } : {}),
    };
    const q = encodeURIComponent(typed(terms[term()] as string, random));
    const withShare = (url: string) => (share ? `${url}${url.includes('?') ? '&' : '?'}${share}` : url);
    if (what === 'page')
      out.push({
        t,
        pop,
        kind: 'detail',
        url: withShare(`/i/${uscc}`),
        headers: page,
        policy: CACHE_POLICIES.detail,
      });
    else if (what === 'detail')
      out.push({
        t,
        pop,
        kind: 'detail',
        url: `/v1/institutions/${uscc}`,
        headers: api,
        policy: CACHE_POLICIES.detail,
      });
    else if (what === 'search') {
      const url = random() < 0.3 ? `/v1/institutions?limit=20&q=${q}` : `/v1/institutions?q=${q}`;
      out.push({ t, pop, kind: 'search', url, headers: api, policy: CACHE_POLICIES.search });
    } else if (what === 'searchPage') {
      out.push({
        t,
        pop,
        kind: 'search',
        url: withShare(`/?q=${q}`),
        headers: page,
        policy: CACHE_POLICIES.detail,
      });
    } else out.push({ t, pop, kind: 'other', url: '/v1/stats', headers: api, policy: CACHE_POLICIES.stats });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Edge locations with a cache each, behind one regional cache; fresh for s-maxage, then stale-served. */
function replay(requests: readonly Request[], keyOf: (r: Request) => string) {
  const pops = requests.reduce((n, r) => Math.max(n, r.pop + 1), 0);
  const edges = Array.from({ length: pops }, () => new Map<string, number>());
  const regional = new Map<string, number>();
  const tally = { detail: [0, 0], search: [0, 0], other: [0, 0] } as Record<Kind, [number, number]>;
  const keys = new Set<string>();
  for (const r of requests) {
    const key = keyOf(r);
    keys.add(key);
    const usable = (stored: number | undefined) =>
      stored !== undefined && r.t < stored + r.policy.sMaxAge + r.policy.staleWhileRevalidate;
    const edge = edges[r.pop] as Map<string, number>;
    const counts = tally[r.kind];
    counts[1]++;
    let at = edge.get(key);
    if (!usable(at)) {
      const up = regional.get(key);
      at = usable(up) ? up : undefined;
    }
    if (at !== undefined) {
      counts[0]++;
      // A stale copy is served and refreshed in the background: fresh again from now.
      if (r.t >= at + r.policy.sMaxAge) at = r.t;
    } else at = r.t;
    edge.set(key, at);
    regional.set(key, Math.max(regional.get(key) ?? 0, at));
  }
  return { tally, keys: keys.size };
}

export interface EdgeFigures {
  before: ReturnType<typeof replay>;
  after: ReturnType<typeof replay>;
}

export function printEdgeCache(): EdgeFigures {
  const requests = day();
  const normalise = loadCacheKeyFunction();
  const before = replay(requests, (r) => {
    const h = Object.entries(r.headers)
      .map(([k, v]) => `${k}=${v}`)
      .join('|');
    return `${r.url} ${h}`;
  });
  const after = replay(requests, (r) => cacheKeyOf(normalise({ request: edgeRequestOf(r.url, r.headers) })));
  const pct = (c: [number, number]) => `${((100 * c[0]) / Math.max(1, c[1])).toFixed(1)}%`;
  console.log(
    `\n-- simulated day at the edge: ${REQUESTS.toLocaleString('en')} requests, ${INSTITUTIONS.toLocaleString('en')} institutions (Zipf 0.9), ${TERMS.toLocaleString('en')} search terms (Zipf 1.0), 4 edge locations + 1 regional cache, TTLs from shared/http/cache.ts`,
  );
  console.log(`  ${''.padEnd(26)}${'before'.padStart(12)}${'after'.padStart(12)}   goal`);
  const row = (label: string, kind: Kind, goal: string) =>
    console.log(
      `  ${label.padEnd(26)}${pct(before.tally[kind]).padStart(12)}${pct(after.tally[kind]).padStart(12)}   ${goal}`,
    );
  row(`detail and page (${before.tally.detail[1].toLocaleString('en')})`, 'detail', '≥ 95%');
  row(`search (${before.tally.search[1].toLocaleString('en')})`, 'search', '≥ 85%');
  row(`stats (${before.tally.other[1].toLocaleString('en')})`, 'other', '');
  console.log(
    `  ${'distinct cache keys'.padEnd(26)}${String(before.keys).padStart(12)}${String(after.keys).padStart(12)}`,
  );
  return { before, after };
}

export async function run() {
  printEdgeCache();
}
