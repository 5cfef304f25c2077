import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import {
  decodeChangeCursor,
  decodePublicityCursor,
  encodeChangeCursor,
  encodePublicityCursor,
} from '#shared/http/feed-cursor.ts';

const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof ValidationError ? err.errors.map((e) => e.path) : String(err);
  }
  return 'accepted';
};

const SECRET = 'unit-secret-0123456789';

describe('feed cursors', () => {
  it('round-trips the position and the filter, types in a canonical order', () => {
    const c = encodeChangeCursor(SECRET, { seq: 42, types: ['published', 'downgraded'], district: '西湖区' });
    expect(decodeChangeCursor(SECRET, c, 'since')).toEqual({
      seq: 42,
      types: ['downgraded', 'published'],
      district: '西湖区',
    });
    const p = encodePublicityCursor(SECRET, { endOn: '2026-11-27', id: 'r-1' });
    expect(decodePublicityCursor(SECRET, p)).toEqual({ endOn: '2026-11-27', id: 'r-1' });
  });

  it('refuses another secret, an edited payload and garbage with a 400 naming the field', () => {
    const c = encodeChangeCursor(SECRET, { seq: 1, types: [], district: null });
    expect(fieldOf(() => decodeChangeCursor('other-secret-0123456789', c, 'since'))).toEqual(['since']);
    const [payload, mac] = c.split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify({ b: 'changes', s: { s: 999, t: [], d: null } })).toString(
      'base64url',
    );
    expect(fieldOf(() => decodeChangeCursor(SECRET, `${edited}.${mac}`, 'since'))).toEqual(['since']);
    expect(fieldOf(() => decodeChangeCursor(SECRET, payload, 'since'))).toEqual(['since']);
    expect(fieldOf(() => decodeChangeCursor(SECRET, '.', 'since'))).toEqual(['since']);
    expect(fieldOf(() => decodeChangeCursor(SECRET, 'x'.repeat(5000), 'since'))).toEqual(['since']);
  });

  it('names the field in the 400 and refuses a cursor of the other list', () => {
    const p = encodePublicityCursor(SECRET, { endOn: '2026-11-27', id: 'r-1' });
    expect(() => decodeChangeCursor(SECRET, p, 'since')).toThrow(ValidationError);
    try {
      decodeChangeCursor(SECRET, p, 'since');
    } catch (err) {
      expect((err as ValidationError).errors[0]!.path).toBe('since');
    }
  });
});
