import fc from 'fast-check';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { districtNames } from '#shared/domain/rules.ts';
import { GRADES, KINDS } from '#shared/domain/types.ts';
import { createApp } from '#shared/http/app.ts';
import type { AdminDeps } from '#shared/http/deps.ts';
import { buildDemoData, type DemoData, loadDemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { testConfig } from '../support/config.ts';
import type { TestDynamo } from '../support/local-table.ts';
import {
  type FuzzRequest,
  type KnownValues,
  type OpenApiDoc,
  type Operation,
  operationsOf,
  requestFor,
  type TokenPool,
} from './openapi-requests.ts';
import { tokenPool } from './support/tokens.ts';
import { trackWrites } from './support/write-tracker.ts';

/**
 * Statuses API.md allows any operation to answer besides the ones it documents. 405 belongs here because a
 * generated path can resolve to another resource (`/inspection-plans/./check` is `/inspection-plans/check`),
 * and a known path with the wrong method answers 405.
 */
export const CONVENTION_STATUSES = new Set([400, 401, 403, 404, 405, 409, 413, 415, 422]);

/** The human pages: not in the API document, fuzzed all the same; their errors are HTML pages. */
const PAGE_OPERATIONS: Operation[] = [
  {
    path: '/',
    parameters: [
      queryParam('q', { type: 'string', maxLength: 64 }),
      queryParam('district', { type: 'string', enum: [...districtNames()] }),
      queryParam('grade', { type: 'string', enum: [...GRADES, 'UNGRADED'] }),
      queryParam('kind', { type: 'string', enum: [...KINDS] }),
      queryParam('cursor', { type: 'string', maxLength: 4096 }),
    ],
  },
  {
    path: '/i/{uscc}',
    parameters: [{ name: 'uscc', in: 'path' as const, required: true, schema: { type: 'string' } }],
  },
  { path: '/stats', parameters: [] },
  { path: '/docs', parameters: [] },
].map((p) => ({
  method: 'GET',
  body: null,
  documented: new Set([200, 304, 400, 404]),
  secured: false,
  page: true,
  ...p,
}));

function queryParam(name: string, schema: Record<string, unknown>) {
  return { name, in: 'query' as const, required: false, schema };
}

/**
 * For each path, one method it does not list (a write on a read path, a read on a write-only path):
 * answered 404 or 405 (413 for an oversized body) as problem+json, never routed to a neighbour. On an
 * authenticated area the token is checked before routing, so a caller without a valid one gets 401 and
 * learns nothing about which routes exist.
 */
function unlistedMethods(ops: Operation[]): Operation[] {
  const byPath = new Map<string, Operation[]>();
  for (const op of ops) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const out: Operation[] = [];
  for (const listed of byPath.values()) {
    const method = ['DELETE', 'PUT', 'PATCH', 'POST', 'GET'].find((m) => !listed.some((o) => o.method === m));
    const template = listed[0];
    if (!method || !template) continue;
    // 431: the header limit refuses oversized headers before routing, whatever the method.
    const statuses = template.secured ? [401, 404, 405, 413, 431] : [404, 405, 413, 431];
    out.push({ ...template, method, documented: new Set(statuses), body: null, unlisted: true });
  }
  return out;
}

export interface FuzzTarget {
  app: ReturnType<typeof createApp>;
  data: DemoData;
  table: string;
  operations: Operation[];
  known: KnownValues;
  tokens: TokenPool;
  writes: ReturnType<typeof trackWrites>;
}

/** The whole service over a fresh table with `count` demo institutions, and what to fuzz it with. */
export async function fuzzTarget(
  dynamo: TestDynamo,
  count: number,
  /** Mounts extra routes before the document is read (the harness's own test). */
  extend?: (app: ReturnType<typeof createApp>, deps: AdminDeps) => void,
): Promise<FuzzTarget> {
  const table = await dynamo.freshTable();
  const writes = trackWrites(dynamo.db);
  const config = testConfig({ TABLE_NAME: table });
  const deps = buildAdminDeps(config, dynamo.db, new RecordingNotifier());
  const data = buildDemoData({ count, today: deps.clock.today(), calendar: deps.calendar });
  await loadDemoData(dynamo.db, table, data);
  const app = createApp(deps, { error: () => {} });
  extend?.(app, deps);
  const doc = (await (await app.request('/openapi.json')).json()) as OpenApiDoc;
  const documented = [...operationsOf(doc), ...PAGE_OPERATIONS];
  const operations = [...documented, ...unlistedMethods(documented)];
  const first = data.profiles[0];
  const other = data.profiles.find((p) => p.district !== first?.district);
  if (!first || !other) throw new Error('the demo data needs institutions in two districts');
  const changes = (await (await app.request('/v1/changes?limit=2')).json()) as { nextCursor?: string };
  const search = (await (await app.request('/v1/institutions?limit=2')).json()) as { nextCursor?: string };
  const usccs = data.profiles.map((p) => p.uscc);
  const resultIds = data.results.map((r) => r.id);
  const known: KnownValues = {
    uscc: usccs,
    id: resultIds,
    resultId: resultIds,
    since: ['now', ...(changes.nextCursor ? [changes.nextCursor] : [])],
    cursor: search.nextCursor ? [search.nextCursor] : [],
    q: data.profiles.slice(0, 5).map((p) => p.name.slice(0, 2)),
  };
  const tokens = await tokenPool({
    district: first.district,
    otherDistrict: other.district,
    uscc: first.uscc,
  });
  return { app, data, table, operations, known, tokens, writes };
}

export interface FuzzStats {
  requests: number;
  statuses: Map<number, number>;
  perOperation: Map<string, number>;
  /** Keys written by requests that were answered 2xx (the only ones allowed to write). */
  acceptedWrites: Set<string>;
}

/** What is wrong with one answer, or null: the invariants every request must keep. */
export async function checkAnswer(req: FuzzRequest, res: Response, wrote: string[]): Promise<string | null> {
  const { op } = req;
  if (res.status >= 500) return `${res.status}: ${await res.text()}`;
  if (res.status < 400 && op.unlisted) return `${res.status} for a method the path does not list`;
  if (res.status < 400) {
    if (res.status === 304 && !req.init.headers['if-none-match']) return '304 without If-None-Match';
    return null;
  }
  if (wrote.length > 0) return `refused with ${res.status} after writing ${wrote.join(', ')}`;
  // 413: the body limit refuses an oversized body before routing, whatever the method.
  if (op.unlisted && !op.documented.has(res.status)) {
    return `${res.status} for a method the path does not list`;
  }
  if (!op.documented.has(res.status) && !CONVENTION_STATUSES.has(res.status)) {
    return `undocumented status ${res.status}`;
  }
  const type = res.headers.get('content-type') ?? '';
  if (op.page && !op.unlisted && type.startsWith('text/html')) return null;
  // A browser's form submission (the objection form) is answered with a page it can show, errors included.
  const formPost = (req.init.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (formPost && !op.unlisted && type.startsWith('text/html')) return null;
  if (!type.startsWith('application/problem+json')) return `error answer of type ${type}`;
  let p: Record<string, unknown>;
  try {
    p = (await res.json()) as Record<string, unknown>;
  } catch {
    return 'problem body is not JSON';
  }
  for (const field of ['type', 'title', 'detail'] as const) {
    if (typeof p[field] !== 'string' || p[field] === '') return `problem without ${field}`;
  }
  if (p.status !== res.status) return `problem status ${String(p.status)} on a ${res.status} answer`;
  return null;
}

/** Requests in flight at once: in-process dynalite spends part of each request waiting on loopback. */
const PARALLEL = Number(process.env.FUZZ_PARALLEL ?? 8);

/** Operations with more inputs get more requests; one without any still gets some. */
const weightOf = (op: Operation) =>
  op.unlisted ? 1 : 1 + op.parameters.length + (op.body ? 4 : 0) + (op.secured ? 2 : 0);

/** Sends `runs` generated requests, PARALLEL at a time, and fails on the first broken invariant. */
export async function fuzz(target: FuzzTarget, runs: number, seed?: number): Promise<FuzzStats> {
  const stats: FuzzStats = {
    requests: 0,
    statuses: new Map(),
    perOperation: new Map(),
    acceptedWrites: new Set(),
  };
  const one = fc.oneof(
    ...target.operations.map((op) => ({
      weight: weightOf(op),
      arbitrary: requestFor(op, target.known, target.tokens),
    })),
  );
  const send = async (req: FuzzRequest) => {
    const { result: res, writes } = await target.writes.within(async () =>
      target.app.request(req.url, req.init),
    );
    const wrote = writes.flatMap((w) => w.keys);
    stats.requests += 1;
    stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
    const label = `${req.op.method} ${req.op.path}`;
    stats.perOperation.set(label, (stats.perOperation.get(label) ?? 0) + 1);
    if (res.status >= 200 && res.status < 300) for (const k of wrote) stats.acceptedWrites.add(k);
    const wrong = await checkAnswer(req, res, wrote);
    if (wrong) throw new Error(`${label} → ${req.url}\n  [${req.shape}]\n  ${wrong}`);
    if (!res.bodyUsed) await res.arrayBuffer();
  };
  await fc.assert(
    fc.asyncProperty(fc.array(one, { minLength: PARALLEL, maxLength: PARALLEL }), async (reqs) => {
      await Promise.all(reqs.map(send));
    }),
    { numRuns: Math.ceil(runs / PARALLEL), ...(seed !== undefined ? { seed } : {}), verbose: 1 },
  );
  return stats;
}

export function printStats(stats: FuzzStats, ms: number) {
  const statuses = [...stats.statuses.entries()].sort(([a], [b]) => a - b);
  console.log(
    `fuzz: ${stats.requests} requests in ${(ms / 1000).toFixed(1)} s, ${statuses.length} distinct statuses: ` +
      statuses.map(([s, n]) => `${s}×${n}`).join(' '),
  );
  console.log(
    `fuzz: per operation: ${[...stats.perOperation.entries()].map(([op, n]) => `${op} ${n}`).join('; ')}`,
  );
}
