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
