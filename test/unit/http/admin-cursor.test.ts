import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import { decodeCursor, encodeCursor } from '#shared/http/admin/cursor.ts';

describe('admin list cursors', () => {
  const secret = 'cursor-secret-for-tests-000';

  it('round-trips a last key and is null at the end of a list', () => {
    const key = { pk: 'AUDIT#X', sk: '2026-11-23T02:00:00.000Z#id' };
    expect(decodeCursor(encodeCursor(key, secret) ?? undefined, secret)).toEqual(key);
    expect(encodeCursor(null, secret)).toBeNull();
    expect(decodeCursor(undefined, secret)).toBeNull();
  });

  it('refuses a tampered or foreign cursor', () => {
    const cursor = encodeCursor({ pk: 'AUDIT#X', sk: 'a' }, secret)!;
    const [payload, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ pk: 'AUDIT#Y', sk: 'a' })).toString('base64url')}.${mac}`;
    expect(() => decodeCursor(forged, secret)).toThrow(ValidationError);
    expect(() => decodeCursor(`${payload}.${mac}`, 'another-secret-0000000000')).toThrow(ValidationError);
    expect(() => decodeCursor('garbage', secret)).toThrow(ValidationError);
  });
});

describe('admin list cursor keys', () => {
  const secret = 'cursor-secret-for-tests-000';
  it('signs with a key per list and the full HMAC-SHA256 tag', async () => {
    const { createHmac } = await import('node:crypto');
    const key = { pk: 'AUDIT#X', sk: 'a' };
    const cursor = encodeCursor(key, secret, 'audit')!;
    const [payload, mac] = cursor.split('.');
    expect(Buffer.from(mac!, 'base64url')).toHaveLength(32);
    // Signed with the bare secret, or for another list: refused.
    const bare = createHmac('sha256', secret).update(payload!).digest('base64url');
    expect(() => decodeCursor(`${payload}.${bare}`, secret, 'audit')).toThrow(ValidationError);
    expect(() => decodeCursor(cursor, secret, 'objections')).toThrow(ValidationError);
    expect(decodeCursor(cursor, secret, 'audit')).toEqual(key);
    expect(() => decodeCursor(`${cursor}.x`, secret, 'audit')).toThrow(ValidationError);
  });
});
