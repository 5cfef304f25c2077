import { type ChangeFilter, matchesFilter } from '../domain/change-events.ts';
import type { ChangeEvent } from '../domain/model.ts';
import type { EventStore } from './events.ts';

/** A page of the change feed for one reader. */
export interface ChangePage {
  items: ChangeEvent[];
  /** Last sequence number examined: the reader's next page starts after it. */
  lastSeq: number;
  /** True when events after `lastSeq` (up to the head read at the start) remain. */
  more: boolean;
}

/** Events examined per request at most, so a rare filter cannot make one request read the whole feed. */
export const MAX_EXAMINED = 500;
const FILTERED_CHUNK = 100;

const isFiltered = (f: ChangeFilter) => f.types.length > 0 || f.district !== null;

/**
 * The next page after `afterSeq`, never past `headSeq`, so the answer is a function of
 * (position, filter, limit, head) and the head can validate it (ETag) without reading it.
 * Filtering happens here, not in DynamoDB: the reader sees every sequence number it steps over and
 * stops before a gap, so it can never move past an event that is not yet visible to it.
 */
export async function readChangesAfter(
  events: EventStore,
  args: { afterSeq: number; headSeq: number; limit: number; filter: ChangeFilter; maxExamined?: number },
): Promise<ChangePage> {
  const budget = args.maxExamined ?? MAX_EXAMINED;
  const filtered = isFiltered(args.filter);
  const items: ChangeEvent[] = [];
  let cursor = args.afterSeq;
  let examined = 0;
  walk: while (cursor < args.headSeq && items.length < args.limit && examined < budget) {
    const want = filtered ? Math.min(FILTERED_CHUNK, budget - examined) : args.limit - items.length;
    const chunk = await events.range({ from: cursor, to: args.headSeq, limit: want });
    if (chunk.length === 0) break;
    for (const e of chunk) {
      if (e.seq !== cursor + 1) break walk;
      cursor = e.seq;
      examined++;
      if (matchesFilter(e, args.filter)) {
        items.push(e);
        if (items.length === args.limit) break walk;
      }
    }
  }
  return { items, lastSeq: cursor, more: cursor < args.headSeq };
}

/** The newest `limit` matching events at or before `headSeq`, newest first (the Atom subscription document). */
export async function readLatestChanges(
  events: EventStore,
  args: { headSeq: number; limit: number; filter: ChangeFilter; maxExamined?: number },
): Promise<ChangeEvent[]> {
  const budget = args.maxExamined ?? MAX_EXAMINED;
  const filtered = isFiltered(args.filter);
  const items: ChangeEvent[] = [];
  let upTo = args.headSeq;
  let examined = 0;
  while (upTo > 0 && items.length < args.limit && examined < budget) {
    const want = filtered ? Math.min(FILTERED_CHUNK, budget - examined) : args.limit - items.length;
    const chunk = await events.range({ from: 0, to: upTo, limit: want, newestFirst: true });
    if (chunk.length === 0) break;
    for (const e of chunk) {
      upTo = e.seq - 1;
      examined++;
      if (matchesFilter(e, args.filter)) {
        items.push(e);
        if (items.length === args.limit) break;
      }
    }
  }
  return items;
}
