import * as z from 'zod';
import { ValidationError } from '../../domain/errors.ts';
import { gradeLabel } from '../../domain/grading.ts';
import { pageInNameOrder } from '../../domain/register-list.ts';
import type { PendingResult } from '../../domain/register-row.ts';
import { normaliseQuery, passes, type SearchFilter } from '../../domain/search-index.ts';
import { KINDS, type Kind, type LocalDate } from '../../domain/types.ts';
import { validateUscc } from '../../domain/uscc.ts';
import { DEFAULT_RADIUS, type InstitutionList, type SearchQuery } from '../../schemas/search.ts';
import type { InstitutionReader, InstitutionSummary, ListFilter } from '../../store/institution-reader.ts';
import type { Page } from '../../store/page.ts';
import type { RegisterIndexSource } from '../../store/register-index.ts';
import { bindingOf, invalidCursor, openCursor, signCursor } from '../cursor.ts';
import { publicityStage } from './present.ts';

/** Items a filtered list reads per Query when a kind filter is applied after the read. */
export const SEARCH_EVALUATE = 100;
/** Queries one page may issue (search and filtered lists). */
export const MAX_QUERIES = 2;

const KeySchema = z.record(z.string(), z.string());
const CursorState = z.discriminatedUnion('m', [
  z.object({
    m: z.literal('r'),
    key: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.string(), z.string()]),
  }),
  z.object({ m: z.literal('l'), key: KeySchema }),
  z.object({ m: z.literal('n'), key: z.tuple([z.number().min(0), z.string()]) }),
  z.object({ m: z.literal('p'), key: z.tuple([z.string(), z.string()]) }),
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
  /** Institutions whose texts a search compared in memory. */
  examined: number;
}

/**
 * Runs `GET /v1/institutions`. With `q`, the in-memory register answers (docs/search.md): every match
 * in one rank order, the cursor carrying the last key shown, so pages hold the best matches first and
 * following `nextCursor` returns every match exactly once. Without `q`, the indexes list in name order.
 */
export async function searchInstitutions(
  reader: InstitutionReader,
  register: RegisterIndexSource,
  secret: string,
  query: SearchQuery,
  trace: SearchTrace = { queries: 0, getItems: 0, examined: 0 },
): Promise<InstitutionList> {
  const needle = query.q ? normaliseQuery(query.q) : '';
  const filter: ListFilter = { district: query.district, grade: query.grade, kind: query.kind };
  checkCombination(needle, query);
  const radius = query.near ? (query.radius ?? DEFAULT_RADIUS) : undefined;
  const binding = bindingOf({
    q: needle || undefined,
    district: query.district,
    grade: query.grade,
    kind: query.kind,
    // Named only when given, so the cursors of the other lists keep their binding.
    ...(query.procedure ? { procedure: query.procedure.name } : {}),
    ...(query.near ? { near: `${query.near.lat},${query.near.lng}`, radius: String(radius) } : {}),
  });
  const state = query.cursor ? openCursor(secret, binding, query.cursor, (s) => CursorState.parse(s)) : null;
  const limit = query.limit;
  // Filters the table's indexes do not know are answered by the in-memory register (docs/search.md).
  const held: SearchFilter = { ...filter, ...(query.procedure ? { procedure: query.procedure } : {}) };

  if (query.near && radius !== undefined) {
    if (state && state.m !== 'n') throw wrongCursor();
    const index = await register.current();
    const page = index.near.near({
      centre: query.near,
      radius,
      keep: (row) => passes(row, held),
      limit,
      after: state?.m === 'n' ? state.key : null,
    });
    trace.examined += page.examined;
    return {
      items: page.hits.map((h) => ({
        ...present(h.row),
        distance: Math.round(h.distance),
        ...(h.row.location ? { location: { ...h.row.location } } : {}),
      })),
      nextCursor: page.next ? signCursor(secret, binding, { m: 'n', key: page.next }) : null,
    };
  }

  if (!needle && query.procedure) {
    if (state && state.m !== 'p') throw wrongCursor();
    const index = await register.current();
    const page = pageInNameOrder(
      index.rows(),
      (row) => passes(row, held),
      state?.m === 'p' ? state.key : null,
      limit,
    );
    trace.examined += page.examined;
    return {
      items: page.rows.map(present),
      nextCursor: page.next ? signCursor(secret, binding, { m: 'p', key: page.next }) : null,
    };
  }

  if (needle) {
    if (state && state.m !== 'r') throw wrongCursor();
    const index = await register.current();
    // On the normalised query, so a code typed with spaces or in lower case is still looked up.
    const uscc = validateUscc(needle);
    const page = index.search({
      query: needle,
      uscc: uscc.ok ? uscc.uscc : undefined,
      filter: held,
      limit,
      after: state?.m === 'r' ? state.key : null,
    });
    trace.examined += page.examined;
    return {
      items: page.hits.map((h) => present(h.row)),
      nextCursor: page.next ? signCursor(secret, binding, { m: 'r', key: page.next }) : null,
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

/** `near` orders by distance and `q` by match: one list has one order, so they are not combined. */
function checkCombination(needle: string, query: SearchQuery): void {
  const problems = [];
  if (query.near && needle) problems.push({ path: 'near', message: 'near cannot be combined with q' });
  if (query.radius !== undefined && !query.near)
    problems.push({ path: 'radius', message: 'radius needs near' });
  if (problems.length > 0) {
    throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  }
}

const wrongCursor = () => invalidCursor('cursor belongs to another kind of list');

/** The public summary, built from an allow-list of fields. */
export function present(s: Omit<InstitutionSummary, 'publicity'> & { publicity?: PendingResult | null }) {
  return {
    uscc: s.uscc,
    name: s.name,
    kind: s.kind,
    district: s.district,
    grade: s.grade,
    gradeLabel: s.grade ? gradeLabel(s.grade) : null,
    score: s.score,
    closed: s.closed,
    closedOn: s.closed ? s.closedOn : null,
    publicity: s.publicity
      ? {
          proposedGrade: s.publicity.proposedGrade,
          proposedGradeLabel: gradeLabel(s.publicity.proposedGrade),
          startOn: s.publicity.startOn,
          endOn: s.publicity.endOn,
          // As far as the row knows; `begunOn` dates it (an open publicity may have ended by today).
          stage: s.publicity.unpublishable ? ('unpublishable' as const) : ('open' as const),
        }
      : null,
  };
}

/**
 * A list as the public may see it on `today`: publicity scheduled for a later day is not yet publicity
 * (DOMAIN.md "Life of a grading result"), so it is not shown; a publicity past its end awaits
 * confirmation (the stage the institution page shows).
 */
export function begunOn(list: InstitutionList, today: LocalDate): InstitutionList {
  return {
    ...list,
    items: list.items.map((i) => {
      const p = i.publicity;
      if (!p) return i;
      if (p.startOn > today) return { ...i, publicity: null };
      return {
        ...i,
        publicity: {
          ...p,
          stage: publicityStage({ ...p, unpublishable: p.stage === 'unpublishable' }, today),
        },
      };
    }),
  };
}
