import { describe, expect, it } from 'vitest';
import { sameData } from '#shared/domain/same-data.ts';

describe('sameData', () => {
  it('does not count the order of keys, at any depth', () => {
    expect(
      sameData({ a: 1, b: { c: 2, d: [3, { e: 4, f: 5 }] } }, { b: { d: [3, { f: 5, e: 4 }], c: 2 }, a: 1 }),
    ).toBe(true);
  });

  it('does not count a key set to undefined, which the table does not store', () => {
    expect(sameData({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it('counts the order of a list, a value, a missing key and null apart from absent', () => {
    expect(sameData([1, 2], [2, 1])).toBe(false);
    expect(sameData({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameData({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameData({ a: null }, {})).toBe(false);
    expect(sameData({ a: { b: 1 } }, { a: { b: '1' } })).toBe(false);
    expect(sameData(null, {})).toBe(false);
    expect(sameData(null, null)).toBe(true);
  });

  it('orders keys by code point, so keys that differ only after a shared prefix are not confused', () => {
    expect(sameData({ ab: 1, a: 2 }, { a: 2, ab: 1 })).toBe(true);
    expect(sameData({ ab: 1, a: 2 }, { a: 1, ab: 2 })).toBe(false);
  });
});
