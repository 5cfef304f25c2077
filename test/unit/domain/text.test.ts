import { describe, expect, it } from 'vitest';
import { isMainlandMobile } from '../../../shared/domain/phone.ts';
import { shownSafely, unsafeCharacter } from '../../../shared/domain/text.ts';

describe('unsafeCharacter', () => {
  it('passes ordinary text, Chinese, punctuation and spaces', () => {
    expect(unsafeCharacter('杭州某某医疗美容诊所（上城）A-1 ·「美」')).toBeNull();
    expect(unsafeCharacter('')).toBeNull();
    expect(unsafeCharacter('~ \u00A0\u00FF\u2029\u2065')).toBeNull();
  });

  it('names the first control or bidirectional character as U+XXXX', () => {
    expect(unsafeCharacter('a\u0000b')).toBe('U+0000');
    expect(unsafeCharacter('a\tb')).toBe('U+0009');
    expect(unsafeCharacter('line\n')).toBe('U+000A');
    expect(unsafeCharacter('\u001F')).toBe('U+001F');
    expect(unsafeCharacter('\u007F')).toBe('U+007F');
    expect(unsafeCharacter('\u0085')).toBe('U+0085');
    expect(unsafeCharacter('\u009F')).toBe('U+009F');
    expect(unsafeCharacter('诊所\u202A')).toBe('U+202A');
    expect(unsafeCharacter('\u202E名称')).toBe('U+202E');
    expect(unsafeCharacter('\u2066')).toBe('U+2066');
    expect(unsafeCharacter('x\u2069\u0001')).toBe('U+2069');
  });

  it('refuses invisible format characters (category Cf), naming the first', () => {
    for (const [ch, name] of [
      ['\u200B', 'U+200B'],
      ['\u200E', 'U+200E'],
      ['\u200F', 'U+200F'],
      ['\u061C', 'U+061C'],
      ['\u2060', 'U+2060'],
      ['\uFEFF', 'U+FEFF'],
      ['\u00AD', 'U+00AD'],
      ['\u206A', 'U+206A'],
      ['\u{E0041}', 'U+E0041'],
    ]) {
      expect(unsafeCharacter(`杭州${ch}诊所`)).toBe(name);
    }
  });
});

describe('isMainlandMobile', () => {
  it('accepts 11 digits starting 13 to 19', () => {
    for (const p of ['13800138000', '19912345678', '15000000000']) expect(isMainlandMobile(p)).toBe(true);
  });

  it('refuses other prefixes, lengths and anything around the number', () => {
    for (const p of ['12800138000', '10800138000', '23800138000', '1380013800', '138001380000']) {
      expect(isMainlandMobile(p)).toBe(false);
    }
    for (const p of ['+8613800138000', '13800138000 ', ' 13800138000', '1380013800a', '138-0013-8000']) {
      expect(isMainlandMobile(p)).toBe(false);
    }
  });
});

describe('shownSafely', () => {
  it('replaces each character output cannot carry with U+FFFD and keeps the rest', () => {
    expect(shownSafely('悦颜诊所 A-1')).toBe('悦颜诊所 A-1');
    expect(shownSafely('a\u0000b\u202Ec\u2066')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(shownSafely('x\uFFFEy\uFFFF')).toBe('x\uFFFDy\uFFFD');
    expect(shownSafely('\uD83D\uDE00')).toBe('\uD83D\uDE00');
    expect(shownSafely('a\uD83Db\uDE00')).toBe('a\uFFFDb\uFFFD');
  });
});
