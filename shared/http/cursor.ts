import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.ts';

/**
 * Opaque list cursors: `base64url(JSON state) . base64url(HMAC-SHA256)`. The state carries a digest of
 * the query it belongs to, so a cursor replayed with other parameters, edited or truncated is refused
 * with a 400 naming `cursor` instead of resuming somewhere the client never was.
 */

const encode = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Each list signs with its own key, derived from the secret and the list's binding (HMAC(secret, label)). */
function mac(secret: string, binding: string, payload: string): Buffer {
  const key = createHmac('sha256', secret).update(`yimei-credit list cursor: ${binding}`).digest();
  return createHmac('sha256', key).update(payload).digest();
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
  let decoded: { b?: unknown; s?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad('malformed cursor');
  }
  if (decoded === null || typeof decoded !== 'object') throw bad('malformed cursor');
  if (decoded.b !== binding) throw bad('cursor belongs to another list or to a query with other parameters');
  try {
    return parse(decoded.s);
  } catch {
    throw bad('malformed cursor');
  }
}
