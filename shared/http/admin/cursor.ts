import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../domain/errors.ts';

/**
 * Opaque, signed list cursors for the admin lists. Each list (`purpose`) signs with its own key derived
 * from the secret (HMAC(secret, label)), with the full HMAC-SHA256 tag, compared in constant time: a
 * tampered cursor, or one of another list, is refused with 400.
 */
export function encodeCursor(
  key: Record<string, unknown> | null,
  secret: string,
  purpose = 'audit',
): string | null {
  if (!key) return null;
  const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
  return `${payload}.${sign(payload, secret, purpose).toString('base64url')}`;
}

export function decodeCursor(
  cursor: string | undefined,
  secret: string,
  purpose = 'audit',
): Record<string, unknown> | null {
  if (!cursor) return null;
  const refuse = () =>
    new ValidationError('invalid cursor', [{ path: 'cursor', message: 'not a cursor this service issued' }]);
  const [payload, mac, extra] = cursor.split('.');
  if (!payload || !mac || extra !== undefined || cursor.length > 2048) throw refuse();
  const expected = sign(payload, secret, purpose);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
  try {
    const key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (key === null || typeof key !== 'object' || Array.isArray(key)) throw refuse();
    return key as Record<string, unknown>;
  } catch {
    throw refuse();
  }
}

function sign(payload: string, secret: string, purpose: string): Buffer {
  const key = createHmac('sha256', secret).update(`yimei-credit admin cursor: ${purpose}`).digest();
  return createHmac('sha256', key).update(payload).digest();
}
