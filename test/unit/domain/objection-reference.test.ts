import { describe, expect, it } from 'vitest';
import {
  formatReference,
  newReference,
  parseReference,
  REFERENCE_ALPHABET,
  REFERENCE_LENGTH,
} from '#shared/domain/objection-reference.ts';
import { MissLimiter } from '#shared/http/public/miss-limiter.ts';

describe('objection references', () => {
  it('are 8 characters of Crockford base 32, none of I, L, O or U', () => {
    expect(REFERENCE_ALPHABET).toHaveLength(32);
    expect(REFERENCE_ALPHABET).not.toMatch(/[ILOU]/);
    const drawn = new Set(Array.from({ length: 2000 }, () => newReference()));
    expect(drawn.size).toBe(2000);
    for (const r of drawn) expect(r).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{${REFERENCE_LENGTH}}$`));
  });

  it('print in two groups of four and read back however they are typed', () => {
    expect(formatReference('7KQ2M9XD')).toBe('7KQ2-M9XD');
    expect(parseReference('7KQ2-M9XD')).toBe('7KQ2M9XD');
    expect(parseReference(' 7kq2 m9xd ')).toBe('7KQ2M9XD');
    expect(parseReference('OIL2-M9XD')).toBe('0112M9XD');
  });

  it('refuse what cannot be one', () => {
    for (const bad of ['', '7KQ2-M9X', '7KQ2-M9XDE', '7KQ2-M9XU', '7KQ2_M9XD', '异议编号一二三四']) {
      expect(parseReference(bad)).toBeNull();
    }
  });
});

describe('MissLimiter', () => {
  it('refuses a client over its misses until the window turns, and no other client', () => {
    let now = new Date('2026-12-07T10:00:05+08:00');
    const limiter = new MissLimiter(2, 600, () => now);
    expect(limiter.retryAfter('a')).toBe(0);
    limiter.miss('a');
    limiter.miss('a');
    expect(limiter.retryAfter('a')).toBeGreaterThan(0);
    expect(limiter.retryAfter('b')).toBe(0);
    now = new Date(now.getTime() + 600_000);
    expect(limiter.retryAfter('a')).toBe(0);
  });

  it('forgets every counter past its bound on clients', () => {
    const limiter = new MissLimiter(1, 600, () => new Date('2026-12-07T10:00:00+08:00'), 2);
    for (const c of ['a', 'b', 'c']) limiter.miss(c);
    expect(limiter.retryAfter('a')).toBe(0);
  });
});

describe('objection references, drawn and typed', () => {
  it('draw from the whole alphabet', () => {
    const seen = new Set(Array.from({ length: 500 }, () => newReference()).join(''));
    expect([...seen].sort().join('')).toBe(REFERENCE_ALPHABET);
  });

  it('read lower-case o, i and l as the digits they look like, and any blank or hyphen as nothing', () => {
    expect(parseReference('oil2-m9xd')).toBe('0112M9XD');
    expect(parseReference('7KQ2\tM9XD')).toBe('7KQ2M9XD');
    expect(parseReference('7-K-Q-2-M-9-X-D')).toBe('7KQ2M9XD');
    expect(parseReference('7KQ2M9XD')).toBe('7KQ2M9XD');
    expect(parseReference('7KQ2M9Xu')).toBeNull();
  });

  it('print any reference as its first four, a hyphen, and the rest', () => {
    expect(formatReference('0000ZZZZ')).toBe('0000-ZZZZ');
  });
});
