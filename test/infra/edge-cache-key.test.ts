import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheKeyOf, edgeRequestOf, loadCacheKeyFunction, urlOf } from '../../infra/edge/cache-key.ts';
import { demoApp } from '../support/demo-app.ts';
import { useTestDynamo } from '../support/local-table.ts';

const normalise = loadCacheKeyFunction();

/** What a viewer gets: status, the representation, the body (ETag follows it) and CORS. */
async function answer(
  app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> },
  url: string,
  headers: Record<string, string>,
) {
  const res = await app.request(url, { headers });
  return {
    status: res.status,
    type: res.headers.get('Content-Type'),
    cors: res.headers.get('Access-Control-Allow-Origin'),
    body: await res.text(),
  };
}

describe('the edge cache key matches the answer', () => {
  const dynamo = useTestDynamo();
  let app: Awaited<ReturnType<typeof demoApp>>['app'];
  let uscc: string;
  let name: string;

  beforeAll(async () => {
    const demo = await demoApp(dynamo, 40);
    app = demo.app;
    uscc = demo.data.profiles[3]?.uscc as string;
    name = demo.data.profiles[3]?.name as string;
  }, 120_000);

  /** The rewritten request, and what the app answers to it and to the original. */
  async function both(url: string, headers: Record<string, string> = {}) {
    const rewritten = normalise({ request: edgeRequestOf(url, headers) });
    const sent: Record<string, string> = Object.fromEntries(
      Object.entries(rewritten.headers).map(([k, v]) => [k, v.value]),
    );
    return {
      key: cacheKeyOf(rewritten),
      original: await answer(app, url, headers),
      viaEdge: await answer(app, urlOf(rewritten), sent),
    };
  }

  /** Every request answered through the edge as the app answers it, and grouped by key: one answer per key. */
  async function checkGroup(requests: Array<[string, Record<string, string>?]>) {
    const byKey = new Map<string, string>();
    for (const [url, headers] of requests) {
      const { key, original, viaEdge } = await both(url, headers);
      expect(viaEdge, `${url} ${JSON.stringify(headers ?? {})}`).toEqual(original);
      const held = byKey.get(key);
      if (held !== undefined) expect(JSON.stringify(original), `${url} shares ${key}`).toBe(held);
      else byKey.set(key, JSON.stringify(original));
    }
    return byKey.size;
  }

  it('gives one key to the spellings of a search the app treats as equal, and keeps WeChat share parameters out', async () => {
    const q = encodeURIComponent;
    const keys = await checkGroup([
      [`/v1/institutions?q=${q('西湖')}`],
      [`/v1/institutions?q=${q(' 西湖 ')}`],
      [`/v1/institutions?q=${q('西 湖')}&from=singlemessage&isappinstalled=0`],
      [`/v1/institutions?q=%E8%A5%BF%E6%B9%96&limit=20`],
      [`/v1/institutions?limit=020&q=${q('西湖')}`, { Accept: 'text/html', Origin: 'https://a.example' }],
    ]);
    expect(keys).toBe(1);
    expect(
      await checkGroup([
        ['/v1/institutions?q=XIHU'],
        ['/v1/institutions?q=xihu'],
        ['/v1/institutions?q=Xi+Hu&from=timeline'],
        ['/v1/institutions?q=%20xihu'],
      ]),
    ).toBe(1);
    const spaced = `${uscc.slice(0, 8)} ${uscc.slice(8)}`;
    expect(
      await checkGroup([
        [`/v1/institutions?q=${uscc}`],
        [`/v1/institutions?q=${uscc.toLowerCase()}`],
        [`/v1/institutions?q=${encodeURIComponent(spaced)}`],
      ]),
    ).toBe(1);
  });

  it('keeps apart what the app answers differently', async () => {
    const keys = await checkGroup([
      ['/v1/institutions?q=xihu'],
      ['/v1/institutions?q=xihu&limit=5'],
      ['/v1/institutions?q=xihu&district=%E8%A5%BF%E6%B9%96%E5%8C%BA'],
      ['/v1/institutions?q=xihu&grade=A'],
      ['/v1/institutions?q=xihu&limit=0'],
      ['/v1/institutions?q=xihu&q=binjiang'],
      ['/v1/institutions?q=%EF%BC%B8%EF%BC%A9%EF%BC%A8%EF%BC%B5'],
      [`/v1/institutions?q=${uscc}`],
      ['/v1/institutions?q=%E0%A4%A'],
    ]);
    expect(keys).toBe(9);
  });

  it('keys an institution’s detail and page on the path alone, whatever Accept, Origin or share parameters', async () => {
    const accepts = [
      {},
      { Accept: 'application/json' },
      { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
      { Accept: '*/*', Origin: 'https://assoc.example' },
      { Accept: 'text/html,application/xhtml+xml,image/wxpic,image/sharpp,image/apng,*/*;q=0.8' },
    ];
    for (const path of [`/v1/institutions/${uscc}`, `/i/${uscc}`]) {
      const urls = [path, `${path}?from=singlemessage&isappinstalled=0`, `${path}?from=groupmessage`];
      expect(
        await checkGroup(urls.flatMap((u) => accepts.map((h) => [u, h] as [string, Record<string, string>]))),
      ).toBe(1);
    }
  });

  it('keeps the search page’s typed text as typed, dropping only empty fields and share parameters', async () => {
    const q = encodeURIComponent(name.slice(2, 4));
    expect(
      await checkGroup([
        [`/?q=${q}`],
        [`/?q=${q}&district=&grade=&kind=&from=singlemessage&isappinstalled=0`],
        [`/?kind=&q=${q}`, { Accept: 'text/html' }],
      ]),
    ).toBe(1);
    expect(await checkGroup([[`/?q=${q}`], [`/?q=%20${q}`], ['/?q=XIHU'], ['/?q=xihu']])).toBe(4);
  });

  it('keys the change feed on the representation the app chooses from Accept, JSON or Atom', async () => {
    const json = await checkGroup([
      ['/v1/changes'],
      ['/v1/changes', { Accept: 'application/json' }],
      ['/v1/changes', { Accept: '*/*' }],
      ['/v1/changes', { Accept: 'application/atom+xml;q=0.5, application/json' }],
      ['/v1/changes?from=singlemessage', { Accept: 'text/html' }],
    ]);
    expect(json).toBe(1);
    const atom = await checkGroup([
      ['/v1/changes', { Accept: 'application/atom+xml' }],
      ['/v1/changes', { Accept: 'application/atom+xml, application/json;q=0.9' }],
      ['/v1/changes', { Accept: 'APPLICATION/ATOM+XML' }],
    ]);
    expect(atom).toBe(1);
    expect(await checkGroup([['/v1/changes?limit=5'], ['/v1/changes?limit=5&type=published']])).toBe(2);
  });

  it('answers any search text through the edge exactly as the app answers it', async () => {
    const alphabet = fc.constantFrom(...'西湖区美容悦颜 XIHUxhmr9133０ＡÜü\t　+%&=#'.split(''));
    await fc.assert(
      fc.asyncProperty(fc.array(alphabet, { maxLength: 12 }), async (chars) => {
        const url = `/v1/institutions?q=${encodeURIComponent(chars.join(''))}`;
        const { original, viaEdge } = await both(url);
        expect(viaEdge).toEqual(original);
      }),
      { numRuns: 60 },
    );
  });

  it('leaves writes, unknown paths and undecodable values as they came', () => {
    const post = edgeRequestOf('/v1/publicity/r1/objections?x=1', { Accept: 'text/html' }, 'POST');
    expect(normalise({ request: structuredClone(post) })).toEqual(post);
    const unknown = edgeRequestOf('/nowhere?from=singlemessage', { Accept: 'text/html' });
    expect(normalise({ request: structuredClone(unknown) })).toEqual(unknown);
    const broken = edgeRequestOf('/v1/institutions?q=%E0%A4%A&from=x');
    expect(normalise({ request: structuredClone(broken) })).toEqual(broken);
  });
});
