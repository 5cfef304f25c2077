import * as z from 'zod';
import { gradeLabel } from '../../domain/grading.ts';
import { matchRank, planQuery } from '../../domain/search-query.ts';
import { KINDS, type Kind } from '../../domain/types.ts';
import { validateUscc } from '../../domain/uscc.ts';
import type { InstitutionList, SearchQuery } from '../../schemas/search.ts';
import type { InstitutionReader, InstitutionSummary, ListFilter } from '../../store/institution-reader.ts';
import type { Page } from '../../store/page.ts';
import { bindingOf, invalidCursor, openCursor, signCursor } from '../cursor.ts';

/**
 * Index items a search reads per Query. With ≤ 2 Queries per page, a search reads at most
 * 2 × SEARCH_EVALUATE index items however large the register grows.
 */
export const SEARCH_EVALUATE = 100;
/** Queries one page may issue (search and filtered lists). */
export const MAX_QUERIES = 2;

const KeySchema = z.record(z.string(), z.string());
const CursorState = z.discriminatedUnion('m', [
  z.object({ m: z.literal('s'), key: KeySchema }),
  z.object({ m: z.literal('l'), key: KeySchema }),
  z.object({
    m: z.literal('a'),
    k: z
      .number()
      .int()
      .min(0)
      .max(KINDS.length - 1),
    key: KeySchema.nullable(),
  }),
]);
type CursorState = z.infer<typeof CursorState>;

type Hit = InstitutionSummary & { key: Record<string, unknown> };

/** What each search reads, for the benchmark and the cost statement in docs/operations.md. */
export interface SearchTrace {
  queries: number;
  getItems: number;
}

/**
 * Runs `GET /v1/institutions`. Pages are cut in index order, so following `nextCursor` visits every
 * matching item exactly once; only then is a page re-ordered for display (exact, prefix, substring).
 */
export async function searchInstitutions(
  reader: InstitutionReader,
  secret: string,
  query: SearchQuery,
  trace: SearchTrace = { queries: 0, getItems: 0 },
): Promise<InstitutionList> {
  const plan = query.q ? planQuery(query.q) : null;
  const filter: ListFilter = { district: query.district, grade: query.grade, kind: query.kind };
  const binding = bindingOf({
    q: plan?.needle,
    district: query.district,
    grade: query.grade,
    kind: query.kind,
  });
  const state = query.cursor ? openCursor(secret, binding, query.cursor, (s) => CursorState.parse(s)) : null;
  const limit = query.limit;

  if (plan) {
    const uscc = validateUscc(query.q);
    if (uscc.ok) {
      trace.getItems++;
      const p = await reader.getProfile(uscc.uscc);
      const hit = p && matchesFilter(p, filter) ? [present(p)] : [];
      return { items: hit, nextCursor: null };
    }
    if (state && state.m !== 's') throw wrongCursor();
    const page = await fill(limit, state?.key ?? null, (startKey) => {
      trace.queries++;
      return reader.searchPartition({
        space: plan.space,
        gram: plan.gram,
        needle: plan.needle,
        filter,
        startKey,
        evaluate: SEARCH_EVALUATE,
      });
    });
    const ranked = page.items
      .map((hit, order) => ({ hit, order, rank: matchRank(plan.needle, hit.texts ?? []) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map((r) => present(r.hit));
    return {
      items: ranked,
      nextCursor: page.next ? signCursor(secret, binding, { m: 's', key: page.next }) : null,
    };
  }

  if (query.district || query.grade) {
    if (state && state.m !== 'l') throw wrongCursor();
    // A kind filter is applied after the read: read a fuller page so that it is rarely short.
    const evaluate = query.kind ? SEARCH_EVALUATE : limit + 1;
    const page = await fill(limit, state?.key ?? null, (startKey) => {
      trace.queries++;
      return reader.list({ filter, startKey, limit: evaluate });
    });
    return {
      items: page.items.map(present),
      nextCursor: page.next ? signCursor(secret, binding, { m: 'l', key: page.next }) : null,
    };
  }

  // The whole register (or one kind): walk the per-kind partitions of gsi3 in order.
  if (state && state.m !== 'a') throw wrongCursor();
  const kinds: readonly Kind[] = query.kind ? [query.kind] : KINDS;
  let k = state?.m === 'a' ? state.k : 0;
  if (k >= kinds.length) throw wrongCursor();
  let startKey: Record<string, unknown> | null = state?.m === 'a' ? state.key : null;
  const taken: Array<{ hit: Hit; k: number }> = [];
  let next: CursorState | null = null;
  while (k < kinds.length) {
    const want = limit + 1 - taken.length;
    trace.queries++;
    const out = await reader.listKindSummaries({ kind: kinds[k] as Kind, startKey, limit: want });
    taken.push(...out.items.map((hit) => ({ hit, k })));
    if (taken.length > limit) break;
    if (out.lastKey) startKey = out.lastKey;
    else {
      k++;
      startKey = null;
    }
  }
  if (taken.length > limit) {
    const last = taken[limit - 1] as { hit: Hit; k: number };
    next = { m: 'a', k: last.k, key: stringKey(last.hit.key) };
    taken.length = limit;
  } else if (k < kinds.length) {
    next = { m: 'a', k, key: startKey ? stringKey(startKey) : null };
  }
  return {
    items: taken.map((t) => present(t.hit)),
    nextCursor: next ? signCursor(secret, binding, next) : null,
  };
}

/**
 * Reads pages until `limit + 1` matches are in hand (so we know whether more follow) or MAX_QUERIES
 * were spent. The next page resumes after the last item returned, never after the last one read.
 */
async function fill(
  limit: number,
  from: Record<string, unknown> | null,
  query: (startKey: Record<string, unknown> | null) => Promise<Page<Hit>>,
): Promise<{ items: Hit[]; next: Record<string, string> | null }> {
  const items: Hit[] = [];
  let startKey = from;
  for (let n = 0; n < MAX_QUERIES; n++) {
    const page = await query(startKey);
    items.push(...page.items);
    startKey = page.lastKey;
    if (!startKey || items.length > limit) break;
  }
  if (items.length > limit) {
    const last = items[limit - 1] as Hit;
    return { items: items.slice(0, limit), next: stringKey(last.key) };
  }
  return { items, next: startKey ? stringKey(startKey) : null };
}

function stringKey(key: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, String(v)]));
}

const wrongCursor = () => invalidCursor('cursor belongs to another kind of list');

function matchesFilter(p: { district: string; grade: string | null; kind: string }, f: ListFilter): boolean {
  if (f.district && p.district !== f.district) return false;
  if (f.kind && p.kind !== f.kind) return false;
  if (f.grade && (p.grade ?? 'UNGRADED') !== f.grade) return false;
  return true;
}

/** The public summary, built from an allow-list of fields. */
export function present(s: Omit<InstitutionSummary, 'texts'>) {
  return {
    uscc: s.uscc,
    name: s.name,
    kind: s.kind,
    district: s.district,
    grade: s.grade,
    gradeLabel: s.grade ? gradeLabel(s.grade) : null,
    score: s.score,
    closed: s.closed,
  };
}
