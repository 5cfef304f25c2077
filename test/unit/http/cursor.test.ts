import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import {
  bindingOf,
  decodeCursor,
  encodeCursor,
  invalidCursor,
  openCursor,
  signCursor,
} from '#shared/http/cursor.ts';
import { purposeKey } from '#shared/purpose-keys.ts';

const SECRET = 'unit-test-cursor-secret-000';
const identity = (s: unknown) => s;

function problemPath(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.errors.map((e) => e.path);
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('signed cursors', () => {
  const binding = bindingOf({ q: '悦颜', district: undefined, grade: 'A', kind: undefined });

  it('round-trips the state for the same parameters, in any key order', () => {
    const cursor = signCursor(SECRET, binding, { m: 's', key: { pk: 'S#c:悦颜', sk: '1#x' } });
    const same = bindingOf({ kind: undefined, grade: 'A', district: undefined, q: '悦颜' });
    expect(openCursor(SECRET, same, cursor, identity)).toEqual({
      m: 's',
      key: { pk: 'S#c:悦颜', sk: '1#x' },
    });
  });

  it('refuses another secret, other parameters, edits and garbage, naming the cursor', () => {
    const cursor = signCursor(SECRET, binding, { m: 's', key: null });
    const other = bindingOf({ q: '悦颜', grade: 'B' });
    expect(problemPath(() => openCursor('another-secret-0123456789', binding, cursor, identity))).toEqual([
      'cursor',
    ]);
    expect(problemPath(() => openCursor(SECRET, other, cursor, identity))).toEqual(['cursor']);
    expect(problemPath(() => openCursor(SECRET, binding, `${cursor}x`, identity))).toEqual(['cursor']);
    expect(problemPath(() => openCursor(SECRET, binding, 'abc', identity))).toEqual(['cursor']);
    expect(problemPath(() => openCursor(SECRET, binding, 'a.b.c', identity))).toEqual(['cursor']);
  });

  it('refuses a correctly signed payload that is not JSON or fails the shape check', () => {
    const payload = Buffer.from('not json').toString('base64url');
    const sig = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(problemPath(() => openCursor(SECRET, binding, `${payload}.${sig}`, identity))).toEqual(['cursor']);
    const cursor = signCursor(SECRET, binding, { m: 'x' });
    const strict = (s: unknown) => {
      if ((s as { m?: string }).m !== 's') throw new Error('bad shape');
      return s;
    };
    expect(problemPath(() => openCursor(SECRET, binding, cursor, strict))).toEqual(['cursor']);
  });
});

describe('cursor keys', () => {
  it('derives a key per list: a cursor signed with the bare secret is refused', () => {
    const payload = Buffer.from(JSON.stringify({ b: 'changes', s: { s: 1 } })).toString('base64url');
    const bare = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(problemPath(() => openCursor(SECRET, 'changes', `${payload}.${bare}`, identity))).toEqual([
      'cursor',
    ]);
    expect(openCursor(SECRET, 'changes', signCursor(SECRET, 'changes', { s: 1 }), identity)).toEqual({
      s: 1,
    });
  });
});

describe('store page cursors', () => {
  const secret = 'cursor-secret-for-tests-000';

  it('round-trips a last key and is null at the end of a list', () => {
    const key = { pk: 'AUDIT#X', sk: '2026-11-23T02:00:00.000Z#id' };
    expect(decodeCursor(encodeCursor(key, secret, 'audit') ?? undefined, secret, 'audit')).toEqual(key);
    expect(encodeCursor(null, secret, 'audit')).toBeNull();
    expect(decodeCursor(undefined, secret, 'audit')).toBeNull();
  });

  it('refuses a tampered or foreign cursor', () => {
    const cursor = encodeCursor({ pk: 'AUDIT#X', sk: 'a' }, secret, 'audit')!;
    const [payload, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ pk: 'AUDIT#Y', sk: 'a' })).toString('base64url')}.${mac}`;
    expect(() => decodeCursor(forged, secret, 'audit')).toThrow(ValidationError);
    expect(() => decodeCursor(`${payload}.${mac}`, 'another-secret-0000000000', 'audit')).toThrow(
      ValidationError,
    );
    expect(() => decodeCursor('garbage', secret, 'audit')).toThrow(ValidationError);
  });
});

describe('store page cursor keys', () => {
  const secret = 'cursor-secret-for-tests-000';
  it('signs with a key per list and the full HMAC-SHA256 tag', () => {
    const key = { pk: 'AUDIT#X', sk: 'a' };
    const cursor = encodeCursor(key, secret, 'audit')!;
    const [payload, mac] = cursor.split('.');
    expect(Buffer.from(mac!, 'base64url')).toHaveLength(32);
    const derived = createHmac('sha256', purposeKey(secret, 'list cursor: audit')).update(payload!);
    expect(mac).toBe(derived.digest('base64url'));
    // Signed with the bare secret, or for another list: refused.
    const bare = createHmac('sha256', secret).update(payload!).digest('base64url');
    expect(() => decodeCursor(`${payload}.${bare}`, secret, 'audit')).toThrow(ValidationError);
    expect(() => decodeCursor(cursor, secret, 'objections')).toThrow(ValidationError);
    expect(decodeCursor(cursor, secret, 'audit')).toEqual(key);
    expect(() => decodeCursor(`${cursor}.x`, secret, 'audit')).toThrow(ValidationError);
  });
});

describe('what a refused cursor is told', () => {
  const binding = bindingOf({ q: 'x' });
  /** A payload signed as the service signs, whatever it holds. */
  const signed = (payload: string) =>
    `${payload}.${createHmac('sha256', purposeKey(SECRET, `list cursor: ${binding}`))
      .update(payload)
      .digest('base64url')}`;
  const refusal = (cursor: string, field?: string) => {
    try {
      openCursor(SECRET, binding, cursor, identity, field);
    } catch (err) {
      if (err instanceof ValidationError) return { message: err.message, errors: err.errors };
      throw err;
    }
    throw new Error('expected a ValidationError');
  };
  const malformed = {
    message: 'invalid query: cursor: malformed cursor',
    errors: [{ path: 'cursor', message: 'malformed cursor' }],
  };

  it('says whether it is malformed, forged or from another list, naming the parameter', () => {
    const cursor = signCursor(SECRET, binding, { at: 1 });
    const [payload, mac] = cursor.split('.') as [string, string];
    expect(refusal(`${payload}.`)).toEqual(malformed);
    expect(refusal(`.${mac}`)).toEqual(malformed);
    expect(refusal(`${payload}.${mac}.`)).toEqual(malformed);
    const forged = 'cursor signature does not match; use the nextCursor of a previous answer unchanged';
    expect(refusal(`${payload}.${mac.slice(0, 20)}`)).toEqual({
      message: `invalid query: cursor: ${forged}`,
      errors: [{ path: 'cursor', message: forged }],
    });
    expect(refusal(`${payload}x.${mac}`).errors[0]?.message).toBe(forged);
    const elsewhere = 'cursor belongs to another list or to a query with other parameters';
    expect(refusal(signed(Buffer.from(JSON.stringify({ b: 'other', s: 1 })).toString('base64url')))).toEqual({
      message: `invalid query: cursor: ${elsewhere}`,
      errors: [{ path: 'cursor', message: elsewhere }],
    });
    expect(refusal(`${payload}.`, 'after')).toEqual({
      message: 'invalid query: after: malformed cursor',
      errors: [{ path: 'after', message: 'malformed cursor' }],
    });
  });

  it('names the cursor parameter unless told another', () => {
    expect(invalidCursor('cursor belongs to another kind of list').errors).toEqual([
      { path: 'cursor', message: 'cursor belongs to another kind of list' },
    ]);
  });

  it('refuses a signed payload that is not an object as malformed', () => {
    for (const json of ['null', '7', '"s"', '{"b":']) {
      expect(refusal(signed(Buffer.from(json).toString('base64url')))).toEqual(malformed);
    }
  });

  it('refuses a cursor longer than 2048 characters before checking it', () => {
    const sized = (length: number) => {
      for (let pad = 0; pad < 3000; pad++) {
        const c = signCursor(SECRET, binding, 'p'.repeat(pad));
        if (c.length >= length) return c;
      }
      throw new Error('unreachable');
    };
    const at = sized(2047);
    const longest = at.length === 2048 ? at : sized(2048);
    expect(longest.length).toBe(2048);
    expect(openCursor(SECRET, binding, longest, identity)).toMatch(/^p+$/);
    const over = sized(2049);
    expect(over.length).toBeGreaterThan(2048);
    expect(refusal(over)).toEqual(malformed);
  });

  it('takes only an object as a store page key', () => {
    for (const state of [null, [1, 2], 'pk']) {
      expect(() => decodeCursor(signCursor(secretForKeys, 'audit', state), secretForKeys, 'audit')).toThrow(
        'invalid query: cursor: malformed cursor',
      );
    }
    expect(
      decodeCursor(encodeCursor({}, secretForKeys, 'audit') ?? undefined, secretForKeys, 'audit'),
    ).toEqual({});
    expect(decodeCursor('', secretForKeys, 'audit')).toBeNull();
  });

  it('binds to a 16-character digest of the parameters, an absent one as null', () => {
    expect(bindingOf({ q: 'x' })).toMatch(/^[\w-]{16}$/);
    expect(bindingOf({ q: 'x', grade: undefined })).not.toBe(bindingOf({ q: 'x' }));
    expect(bindingOf({ q: 'x' })).not.toBe(bindingOf({ q: 'y' }));
  });
});

const secretForKeys = 'cursor-secret-for-tests-000';
