import * as z from 'zod';
import { CHANGE_TYPES, type ChangeType, type District } from '../domain/types.ts';
import { DistrictSchema } from '../schemas/common.ts';
import { openCursor, signCursor } from './cursor.ts';

/**
 * Cursors of the association feeds, signed like every list cursor (cursor.ts), so a client can keep
 * one as a bookmark for as long as the secret lives but cannot forge or edit it. The binding names the
 * list, so a publicity cursor is refused by the change feed and the other way round.
 */

/** Where a reader of the change feed stands, and the filter the cursor was issued for. */
export interface ChangeCursor {
  /** Last sequence number examined: the next page starts after it. */
  seq: number;
  types: ChangeType[];
  district: District | null;
}

const ChangeCursorPayload = z.object({
  s: z.number().int().min(0),
  t: z.array(z.enum(CHANGE_TYPES)).max(CHANGE_TYPES.length),
  d: DistrictSchema.nullable(),
});

export function encodeChangeCursor(secret: string, c: ChangeCursor): string {
  return signCursor(secret, 'changes', { s: c.seq, t: [...c.types].sort(), d: c.district });
}

/** Decodes a change-feed cursor; a bad one is a 400 naming `field`. */
export function decodeChangeCursor(secret: string, cursor: string, field: string): ChangeCursor {
  const state = openCursor(secret, 'changes', cursor, (s) => ChangeCursorPayload.parse(s), field);
  return { seq: state.s, types: state.t, district: state.d };
}

/** Position in the publicity list: the last result returned (its publicity end and id). */
export interface PublicityCursor {
  endOn: string;
  id: string;
}

const PublicityCursorPayload = z.object({
  e: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  i: z.string().min(1).max(200),
});

export function encodePublicityCursor(secret: string, c: PublicityCursor): string {
  return signCursor(secret, 'publicity', { e: c.endOn, i: c.id });
}

export function decodePublicityCursor(secret: string, cursor: string, field = 'cursor'): PublicityCursor {
  const state = openCursor(secret, 'publicity', cursor, (s) => PublicityCursorPayload.parse(s), field);
  return { endOn: state.e, id: state.i };
}
