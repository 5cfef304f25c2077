import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../domain/errors.ts';

/** Opaque, signed list cursors for the admin lists: a tampered cursor is refused with 400. */
export function encodeCursor(key: Record<string, unknown> | null, secret: string): string | null {
  if (!key) return null;
  const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

export function decodeCursor(cursor: string | undefined, secret: string): Record<string, unknown> | null {
  if (!cursor) return null;
  const [payload, mac] = cursor.split('.');
  const expected = payload ? sign(payload, secret) : '';
  if (
    !payload ||
    !mac ||
    mac.length !== expected.length ||
    !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
  ) {
    throw new ValidationError('invalid cursor', [
      { path: 'cursor', message: 'not a cursor this service issued' },
    ]);
  }
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);
}
