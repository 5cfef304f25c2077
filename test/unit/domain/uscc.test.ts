import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.ts';
import {
  isUscc,
  makeUscc,
  USCC_CHARSET,
  usccCheckCharacter,
  validateUscc,
} from '../../../shared/domain/uscc.ts';

const charsetChar = fc.constantFrom(...USCC_CHARSET);
const prefix17 = fc.array(charsetChar, { minLength: 17, maxLength: 17 }).map((cs) => cs.join(''));

describe('uscc', () => {
  it('has the 31-character GB 32100 charset without I, O, Z, S, V', () => {
    expect(USCC_CHARSET).toHaveLength(31);
    expect(new Set(USCC_CHARSET).size).toBe(31);
    for (const ch of 'IOZSV') expect(USCC_CHARSET).not.toContain(ch);
  });

  it('accepts published real codes', () => {
    for (const code of ['91350100M000100Y43', '91110108551385082Q', '91440300708461136T']) {
      expect(validateUscc(code)).toEqual({ ok: true, uscc: code });
      expect(isUscc(code)).toBe(true);
    }
  });

  it('computes the check character of known codes', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91110108551385082')).toBe('Q');
    expect(usccCheckCharacter('91440300708461136')).toBe('T');
  });

  it('trims, upper-cases and maps full-width characters before checking', () => {
    expect(validateUscc('  91350100m000100y43\n')).toEqual({ ok: true, uscc: '91350100M000100Y43' });
    expect(validateUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toEqual({
      ok: true,
      uscc: '91350100M000100Y43',
    });
  });

  it('isUscc accepts only the canonical form', () => {
    expect(isUscc('91350100m000100Y43')).toBe(false);
    expect(isUscc(' 91350100M000100Y43')).toBe(false);
    expect(isUscc(91350100)).toBe(false);
  });

  it('says the length when it is wrong', () => {
    const short = validateUscc('91350100M000100Y4');
    expect(short.ok).toBe(false);
    expect(!short.ok && short.message).toContain('got 17');
    const long = validateUscc('91350100M000100Y433');
    expect(!long.ok && long.message).toContain('got 19');
    expect(validateUscc('   ')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
    expect(validateUscc(null)).toMatchObject({ ok: false, message: expect.stringContaining('string') });
  });

  it.each([
    ['I', 9],
    ['O', 1],
    ['Z', 17],
    ['S', 5],
    ['V', 18],
    ['-', 12],
  ])('names the illegal character %s and its position %i', (ch, position) => {
    const chars = Array.from('91350100M000100Y43');
    chars[position - 1] = ch;
    const result = validateUscc(chars.join(''));
    expect(result).toMatchObject({ ok: false, position });
    expect(!result.ok && result.message).toContain(`'${ch}'`);
    expect(!result.ok && result.message).toContain(`position ${position}`);
  });

  it('reports the first illegal character when there are several', () => {
    expect(validateUscc('9135O100M000I00Y43')).toMatchObject({ ok: false, position: 5 });
  });

  it('says which check character was found and which was expected', () => {
    const result = validateUscc('91350100M000100Y44');
    expect(result).toMatchObject({ ok: false, position: 18 });
    expect(!result.ok && result.message).toContain('check character at position 18 is 4, expected 3');
  });

  it('usccCheckCharacter refuses a prefix that is not 17 charset characters', () => {
    expect(() => usccCheckCharacter('9135010')).toThrow(ValidationError);
    expect(() => usccCheckCharacter('91350100M000100YI')).toThrow(/position 17/);
  });

  it('property: makeUscc always produces a valid canonical code', () => {
    fc.assert(
      fc.property(prefix17, (p) => {
        const code = makeUscc(p);
        expect(code.slice(0, 17)).toBe(p);
        expect(validateUscc(code)).toEqual({ ok: true, uscc: code });
        expect(isUscc(code)).toBe(true);
      }),
    );
  });

  it('property: any single-character substitution is detected', () => {
    fc.assert(
      fc.property(prefix17, fc.integer({ min: 0, max: 17 }), charsetChar, (p, index, replacement) => {
        const chars = Array.from(makeUscc(p));
        fc.pre(chars[index] !== replacement);
        chars[index] = replacement;
        expect(validateUscc(chars.join(''))).toMatchObject({ ok: false, position: 18 });
      }),
    );
  });

  it('property: swapping two different adjacent characters is detected', () => {
    fc.assert(
      fc.property(prefix17, fc.integer({ min: 0, max: 15 }), (p, index) => {
        const chars = Array.from(makeUscc(p));
        fc.pre(chars[index] !== chars[index + 1]);
        [chars[index], chars[index + 1]] = [chars[index + 1] ?? '', chars[index] ?? ''];
        expect(validateUscc(chars.join('')).ok).toBe(false);
      }),
    );
  });
});

describe('uscc messages an applicant reads', () => {
  const withChar = (ch: string, position: number) => {
    const chars = Array.from('91350100M000100Y43');
    chars[position - 1] = ch;
    return validateUscc(chars.join(''));
  };
  const messageOf = (r: ReturnType<typeof validateUscc>) => (r.ok ? null : r.message);

  it('names the illegal character, the allowed letters, and says it again in Chinese', () => {
    expect(messageOf(withChar('I', 9))).toBe(
      "character 'I' (U+0049) at position 9 is not allowed; only digits and the letters ABCDEFGHJKLMNPQRTUWXY " +
        'are used (I, O, Z, S, V never are) (第9位字符“I”不是统一社会信用代码允许的字符)',
    );
  });

  it('shows an invisible or blank character by its code point only', () => {
    for (const [ch, shown] of [
      [' ', 'U+0020'],
      ['\t', 'U+0009'],
      ['\u007f', 'U+007F'],
      ['\u2028', 'U+2028'],
    ] as const) {
      expect(messageOf(withChar(ch, 3))).toMatch(
        new RegExp(`^character ${shown.replace('+', '\\+')} at position 3 `),
      );
    }
    expect(messageOf(withChar('!', 3))).toMatch(/^character '!' \(U\+0021\) at position 3 /);
    expect(messageOf(withChar('é', 3))).toMatch(/^character 'É' \(U\+00C9\) at position 3 /);
  });

  it('gives the check character found and expected in both languages', () => {
    expect(messageOf(validateUscc('91350100M000100Y44'))).toBe(
      'check character at position 18 is 4, expected 3; a character is probably mistyped ' +
        '(第18位校验码为4，按前17位计算应为3，请核对代码)',
    );
  });

  it('refuses to compute a check character for a wrong prefix, naming the uscc field', () => {
    const refusal = (prefix: string) => {
      try {
        usccCheckCharacter(prefix);
      } catch (err) {
        return { message: (err as ValidationError).message, errors: (err as ValidationError).errors };
      }
      throw new Error('not refused');
    };
    expect(refusal('9135010')).toEqual({
      message: 'expected the first 17 characters of a code, got 7',
      errors: [{ path: 'uscc', message: 'expected 17 characters, got 7' }],
    });
    const illegal = "character 'I' (U+0049) at position 17 is not allowed in a unified social credit code";
    expect(refusal('91350100M000100YI')).toEqual({
      message: illegal,
      errors: [{ path: 'uscc', message: illegal }],
    });
  });
});
