import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.ts';
import { purposeKey } from '../purpose-keys.ts';

/**
 * Opaque list cursors, public and admin alike: `base64url(JSON state) . base64url(HMAC-SHA256)`, signed
 * with a key derived for the list. The state carries the list's binding (a digest of the query, or the
 * list's name), so a cursor replayed with other parameters or on another list, edited or truncated is
 * refused with a 400 naming `cursor` instead of resuming somewhere the client never was.
 */

const encode = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Each list signs with its own key, derived from the secret for the list's binding. */
function mac(secret: string, binding: string, payload: string): Buffer {
  return createHmac('sha256', purposeKey(secret, `list cursor: ${binding}`))
    .update(payload)
    .digest();
}

/** Short digest of the parameters a cursor is valid for. */
export function bindingOf(params: Record<string, string | undefined>): string {
  const ordered = Object.keys(params)
    .sort()
    .map((k) => [k, params[k] ?? null]);
  return createHash('sha256').update(JSON.stringify(ordered)).digest('base64url').slice(0, 16);
}

export function signCursor(secret: string, binding: string, state: unknown): string {
  const payload = encode(JSON.stringify({ b: binding, s: state }));
  return `${payload}.${encode(mac(secret, binding, payload))}`;
}

/** The 400 for a cursor that cannot be used, naming the parameter that carried it. */
export function invalidCursor(message: string, field = 'cursor'): ValidationError {
  return new ValidationError(`invalid query: ${field}: ${message}`, [{ path: field, message }]);
}

/** Longer than any cursor this service issues: refused before any decoding work. */
const MAX_CURSOR_LENGTH = 2048;

/**
 * The state inside a cursor, once its signature and binding are verified; `parse` validates its shape
 * (a throw there is reported as a malformed cursor too).
 */
export function openCursor<T>(
  secret: string,
  binding: string,
  cursor: string,
  parse: (state: unknown) => T,
  field = 'cursor',
): T {
  const bad = (message: string) => invalidCursor(message, field);
  if (cursor.length > MAX_CURSOR_LENGTH) throw bad('malformed cursor');
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw bad('malformed cursor');
  const expected = mac(secret, binding, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw bad('cursor signature does not match; use the nextCursor of a previous answer unchanged');
  }
  let decoded: { b?: unknown; s?: unknown } | undefined;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: it stays undefined and is refused as malformed below.
  }
  if (decoded === null || typeof decoded !== 'object') throw bad('malformed cursor');
  if (decoded.b !== binding) throw bad('cursor belongs to another list or to a query with other parameters');
  try {
    return parse(decoded.s);
  } catch {
    throw bad('malformed cursor');
  }
}

/**
 * A store page's last key as a cursor of the list `purpose` (each list, or each institution's trail,
 * names its own), or null at the end of the list.
 */
export function encodeCursor(
  lastKey: Record<string, unknown> | null,
  secret: string,
  purpose: string,
): string | null {
  return lastKey ? signCursor(secret, purpose, lastKey) : null;
}

/** The last key inside a cursor of the list `purpose`, or null where the request carried none. */
export function decodeCursor(
  cursor: string | undefined,
  secret: string,
  purpose: string,
): Record<string, unknown> | null {
  return cursor ? openCursor(secret, purpose, cursor, lastKeyOf) : null;
}

function lastKeyOf(state: unknown): Record<string, unknown> {
  // Stryker disable next-line StringLiteral: openCursor replaces any error of the parse with its own 400
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new Error('not a key');
  return state as Record<string, unknown>;
}
