import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../domain/errors.ts';
import { CHANGE_TYPES, type ChangeType, DISTRICTS, type District } from '../domain/types.ts';

/**
 * Opaque cursors of the association feeds: base64url(JSON) + "." + base64url(HMAC-SHA256), so a
 * client can keep one as a bookmark for as long as the secret lives, but cannot forge or edit it.
 * Each cursor names the list it belongs to, so a publicity cursor is refused by the change feed.
 */

const MAC_BYTES = 16;

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);
}

/** Signs `value` (any JSON) into an opaque cursor. */
export function signCursor(secret: string, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The JSON inside a cursor signed with `secret`, or null when it is malformed or tampered with. */
export function openCursor(secret: string, cursor: string): unknown {
  const dot = cursor.indexOf('.');
  if (dot <= 0 || cursor.length > 2048) return null;
  const payload = cursor.slice(0, dot);
  const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** Where a reader of the change feed stands, and the filter the cursor was issued for. */
export interface ChangeCursor {
  /** Last sequence number examined: the next page starts after it. */
  seq: number;
  types: ChangeType[];
  district: District | null;
}

const ChangeCursorPayload = z.object({
  l: z.literal('changes'),
  s: z.number().int().min(0),
  t: z.array(z.enum(CHANGE_TYPES)).max(CHANGE_TYPES.length),
  d: z.enum(DISTRICTS).nullable(),
});

export function encodeChangeCursor(secret: string, c: ChangeCursor): string {
  return signCursor(secret, { l: 'changes', s: c.seq, t: [...c.types].sort(), d: c.district });
}

/** Decodes a change-feed cursor; a bad one is a 400 naming `field`. */
export function decodeChangeCursor(secret: string, cursor: string, field: string): ChangeCursor {
  const parsed = ChangeCursorPayload.safeParse(openCursor(secret, cursor));
  if (!parsed.success) throw badCursor(field);
  return { seq: parsed.data.s, types: parsed.data.t, district: parsed.data.d };
}

/** Position in the publicity list: the last result returned (its publicity end and id). */
export interface PublicityCursor {
  endOn: string;
  id: string;
}

const PublicityCursorPayload = z.object({
  l: z.literal('publicity'),
  e: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  i: z.string().min(1).max(200),
});

export function encodePublicityCursor(secret: string, c: PublicityCursor): string {
  return signCursor(secret, { l: 'publicity', e: c.endOn, i: c.id });
}

export function decodePublicityCursor(secret: string, cursor: string, field = 'cursor'): PublicityCursor {
  const parsed = PublicityCursorPayload.safeParse(openCursor(secret, cursor));
  if (!parsed.success) throw badCursor(field);
  return { endOn: parsed.data.e, id: parsed.data.i };
}

function badCursor(field: string): ValidationError {
  const message = 'not a cursor this service issued for this list (malformed, altered or from another list)';
  return new ValidationError(`invalid ${field}: ${message}`, [{ path: field, message }]);
}
