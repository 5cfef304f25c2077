import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { publicChangeEvent } from '../../domain/change-events.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { ChangeEvent } from '../../domain/model.ts';
import { rulebook } from '../../domain/rules.ts';
import type { ChangeType, District } from '../../domain/types.ts';
import { problemResponse } from '../../schemas/common.ts';
import { ChangesPageSchema, ChangesQuery } from '../../schemas/feeds.ts';
import { readChangesAfter, readLatestChanges } from '../../store/change-reader.ts';
import { answerConditional, weakEtag } from '../conditional.ts';
import type { PublicDeps } from '../deps.ts';
import { type ChangeCursor, decodeChangeCursor, encodeChangeCursor } from '../feed-cursor.ts';
import { openApiRouter } from '../openapi-app.ts';
import { changesAtom } from './changes-atom.ts';
import { publicityNow } from './feed-publicity.ts';
import { institutionNames } from './institution-names.ts';

/** Bump when the representation changes, so cached copies revalidate to the new shape. */
const FORMAT_VERSION = 'changes-1';

/**
 * Associations poll: the newest page may change at any moment, so it is cached briefly; a full page
 * behind the head never changes (events are immutable, sequence numbers contiguous).
 */
export const FEED_CACHE_CONTROL = 'public, max-age=30, s-maxage=30, stale-if-error=86400';
const FULL_PAGE_CACHE_CONTROL = 'public, max-age=86400, s-maxage=86400, immutable';

const ATOM = 'application/atom+xml';

const atomDescription =
  'Atom 1.0. With `since`: the same page as the JSON answer, with rel="next" while more events wait. ' +
  'Without `since`: the newest `limit` events, newest first, as feed readers expect.';

const changesRoute = createRoute({
  method: 'get',
  path: '/changes',
  tags: ['feeds'],
  summary: 'Change events in the order they happened, resumable by cursor (JSON, or Atom by Accept)',
  description:
    'Following `nextCursor` from the first page returns every event exactly once, in sequence order, also ' +
    'while events are being added. `nextCursor` is never null: at the end of the feed it marks where the ' +
    'reader stands, so the next poll resumes there. A cursor carries the position and the filter it was ' +
    'issued for, is signed, and stays valid as a bookmark; `type`/`district` may be omitted when `since` is ' +
    'given and must match the cursor when repeated. Send `Accept: application/atom+xml` for Atom.',
  request: { query: ChangesQuery },
  responses: {
    200: {
      description: 'A page of change events',
      content: {
        'application/json': { schema: ChangesPageSchema },
        [ATOM]: { schema: z.string().openapi({ description: atomDescription }) },
      },
    },
    304: { description: 'Not modified (If-None-Match / If-Modified-Since)' },
    400: problemResponse('Invalid limit, type, district or cursor (each invalid field named)'),
  },
});

const atomRoute = createRoute({
  method: 'get',
  path: '/changes.atom',
  tags: ['feeds'],
  summary: 'The change feed as Atom 1.0 for feed readers',
  description: atomDescription,
  request: { query: ChangesQuery },
  responses: {
    200: { description: 'Atom feed', content: { [ATOM]: { schema: z.string() } } },
    304: { description: 'Not modified (If-None-Match / If-Modified-Since)' },
    400: problemResponse('Invalid limit, type, district or cursor (each invalid field named)'),
  },
});

type ChangesQueryValue = z.infer<typeof ChangesQuery>;

/** Where a request starts and which filter applies, after reconciling `since` with the query filters. */
interface Position {
  start: 'beginning' | 'now' | 'latest' | number;
  filter: { types: ChangeType[]; district: District | null };
}

function resolvePosition(q: ChangesQueryValue, secret: string, atom: boolean): Position {
  const queryFilter = { types: [...(q.type ?? [])].sort(), district: q.district ?? null };
  if (q.since === undefined || q.since === '') {
    return { start: atom ? 'latest' : 'beginning', filter: queryFilter };
  }
  if (q.since === 'now') return { start: 'now', filter: queryFilter };
  const cursor = decodeChangeCursor(secret, q.since, 'since');
  const problems = [];
  if (q.type !== undefined && queryFilter.types.join(',') !== cursor.types.join(',')) {
    problems.push({ path: 'type', message: 'differs from the type filter the cursor was issued for' });
  }
  if (q.district !== undefined && q.district !== cursor.district) {
    problems.push({ path: 'district', message: 'differs from the district the cursor was issued for' });
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `the filter cannot change along a cursor: ${problems.map((p) => p.path).join(', ')}; start a new reading without since`,
      problems,
    );
  }
  return { start: cursor.seq, filter: { types: cursor.types, district: cursor.district } };
}

/** When the feed last changed: when its newest event was appended (or happened, for older events). */
export function feedLastModified(head: ChangeEvent | null, now: Date): Date | null {
  if (!head) return null;
  const t = Date.parse(head.recordedAt ?? head.occurredAt);
  if (Number.isNaN(t)) return null;
  return new Date(Math.min(t, now.getTime()));
}

function prefersAtom(accept: string | undefined): boolean {
  if (!accept) return false;
  let atomQ = 0;
  let jsonQ = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const media = (type ?? '').trim().toLowerCase();
    if (media === ATOM) atomQ = Math.max(atomQ, Number.isNaN(q) ? 0 : q);
    if (media === 'application/json') jsonQ = Math.max(jsonQ, Number.isNaN(q) ? 0 : q);
  }
  return atomQ > 0 && atomQ >= jsonQ;
}

function pageUrl(baseUrl: string, path: string, params: Record<string, string | number | undefined>): string {
  const url = new URL(`${baseUrl.replace(/\/$/, '')}${path}`);
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url.toString();
}

async function answer(c: Context, deps: PublicDeps, q: ChangesQueryValue, atom: boolean, vary: boolean) {
  const position = resolvePosition(q, deps.cursorSecret, atom);
  const filter = position.filter;
  const today = deps.clock.today();
  const head = await deps.events.head();
  const headSeq = head?.seq ?? 0;
  const lastModified = feedLastModified(head, deps.clock.now());
  const validators = {
    etag: weakEtag(
      FORMAT_VERSION,
      atom ? 'atom' : 'json',
      String(position.start),
      filter.types.join(','),
      filter.district,
      q.limit,
      headSeq,
      // An item's publicity stage moves on with the date alone (open → ended).
      today,
    ),
    lastModified,
    cacheControl: FEED_CACHE_CONTROL,
    ...(vary ? { vary: 'Accept' } : {}),
  };
  const notModified = answerConditional(c, validators);
  if (notModified) return notModified;

  let items: ChangeEvent[];
  let cursor: ChangeCursor;
  let more = false;
  if (position.start === 'latest') {
    items = await readLatestChanges(deps.events, { headSeq, limit: q.limit, filter });
    cursor = { seq: headSeq, ...filter };
  } else if (position.start === 'now') {
    items = [];
    cursor = { seq: headSeq, ...filter };
  } else {
    const afterSeq = position.start === 'beginning' ? 0 : position.start;
    const page = await readChangesAfter(deps.events, { afterSeq, headSeq, limit: q.limit, filter });
    items = page.items;
    more = page.more;
    cursor = { seq: page.lastSeq, ...filter };
  }
  const nextCursor = encodeChangeCursor(deps.cursorSecret, cursor);
  const events = items.map(publicChangeEvent);
  const pending = await publicityNow(deps.reader, events, today);
  // A full page behind the head never changes, unless it announces a publicity still running.
  if (position.start !== 'latest' && items.length === q.limit && pending.size === 0) {
    c.header('Cache-Control', FULL_PAGE_CACHE_CONTROL);
  }

  if (!atom) {
    const withStage = events.map((e) => {
      const publicity = pending.get(e.id);
      return publicity ? { ...e, publicity } : e;
    });
    return c.json({ items: withStage, nextCursor, more }, 200);
  }

  const filterParams = {
    type: filter.types.length > 0 ? filter.types.join(',') : undefined,
    district: filter.district ?? undefined,
  };
  const base = deps.publicBaseUrl;
  const xml = changesAtom({
    baseUrl: base,
    selfUrl: pageUrl(base, '/v1/changes.atom', { ...filterParams, since: q.since, limit: q.limit }),
    nextUrl: more ? pageUrl(base, '/v1/changes.atom', { since: nextCursor, limit: q.limit }) : null,
    feedId: pageUrl(base, '/v1/changes.atom', filterParams),
    title: `${rulebook().wording.siteTitle.replace(/查询$/, '')}变更动态${filter.district ? `（${filter.district}）` : ''}`,
    updated: lastModified ?? new Date(0),
    entries: events,
    publicity: pending,
    names: await institutionNames(
      deps.reader,
      events.map((e) => e.uscc),
    ),
  });
  return c.body(xml, 200, { 'Content-Type': `${ATOM}; charset=utf-8` });
}

/** GET /changes and /changes.atom (mounted under /v1). */
export function changesRoutes(deps: PublicDeps) {
  const app = openApiRouter();
  app.openapi(changesRoute, (c) =>
    answer(c, deps, c.req.valid('query'), prefersAtom(c.req.header('Accept')), true),
  );
  app.openapi(atomRoute, (c) => answer(c, deps, c.req.valid('query'), true, false));
  return app;
}
