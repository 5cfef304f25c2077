import { ValidationError } from './errors.ts';

/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015) that identifies every institution
 * (DOMAIN.md "Scope": invalid codes are rejected with a message that says which character is wrong).
 */

/** The 31 characters GB 32100-2015 allows; a character's value is its index (I, O, Z, S, V are never used). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export const USCC_LENGTH = 18;

/** Weights of positions 1..17 (3^(i-1) mod 31), from GB 32100-2015. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const VALUES = new Map<string, number>(Array.from(USCC_CHARSET, (ch, i) => [ch, i]));

export type UsccValidation = { ok: true; uscc: string } | { ok: false; message: string; position?: number };

/** Describes a character for a message; invisible or ambiguous characters are shown by code point. */
function show(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp > 0x20 && cp !== 0x7f && ch.trim() !== '' ? `'${ch}' (${hex})` : hex;
}

function illegalCharacter(chars: string[]): { ch: string; position: number } | null {
  for (const [i, ch] of chars.entries()) {
    if (!VALUES.has(ch)) return { ch, position: i + 1 };
  }
  return null;
}

function checkValue(first17: string[]): number {
  let sum = 0;
  for (const [i, ch] of first17.entries()) sum += (VALUES.get(ch) ?? 0) * (WEIGHTS[i] ?? 0);
  return (31 - (sum % 31)) % 31;
}

/**
 * The check character (position 18) for the first 17 characters of a code.
 * Throws a ValidationError when `first17` is not 17 characters of the GB 32100 charset.
 */
export function usccCheckCharacter(first17: string): string {
  const chars = Array.from(first17);
  if (chars.length !== 17) {
    throw new ValidationError(`expected the first 17 characters of a code, got ${chars.length}`, [
      { path: 'uscc', message: `expected 17 characters, got ${chars.length}` },
    ]);
  }
  const bad = illegalCharacter(chars);
  if (bad) {
    const message = `character ${show(bad.ch)} at position ${bad.position} is not allowed in a unified social credit code`;
    throw new ValidationError(message, [{ path: 'uscc', message }]);
  }
  // Stryker disable next-line StringLiteral: checkValue is 0–30, always an index of the 31-character charset
  return USCC_CHARSET[checkValue(chars)] ?? '';
}

/**
 * Normalises (trim, full-width to half-width, upper case) and validates a unified social credit code.
 * A failure says exactly what is wrong: the length, the first illegal character and its 1-based position,
 * or the check character found and the one expected.
 */
export function validateUscc(input: unknown): UsccValidation {
  if (typeof input !== 'string') return { ok: false, message: 'unified social credit code must be a string' };
  // Codes are often typed with a Chinese IME, which produces full-width letters and digits; NFKC maps them 1:1.
  const value = input.trim().normalize('NFKC').toUpperCase();
  const chars = Array.from(value);
  if (chars.length === 0) {
    return { ok: false, message: 'unified social credit code is empty (统一社会信用代码不能为空)' };
  }
  if (chars.length !== USCC_LENGTH) {
    return {
      ok: false,
      message: `unified social credit code must be 18 characters, got ${chars.length} (统一社会信用代码应为18位，实际为${chars.length}位)`,
    };
  }
  const bad = illegalCharacter(chars);
  if (bad) {
    return {
      ok: false,
      position: bad.position,
      message:
        `character ${show(bad.ch)} at position ${bad.position} is not allowed; only digits and the letters ` +
        `${USCC_CHARSET.slice(10)} are used (I, O, Z, S, V never are) ` +
        `(第${bad.position}位字符“${bad.ch}”不是统一社会信用代码允许的字符)`,
    };
  }
  // Stryker disable next-line StringLiteral: checkValue is 0–30, always an index of the 31-character charset
  const expected = USCC_CHARSET[checkValue(chars.slice(0, 17))] ?? '';
  // Stryker disable next-line StringLiteral: the code has 18 characters here
  const actual = chars[17] ?? '';
  if (actual !== expected) {
    return {
      ok: false,
      position: 18,
      message:
        `check character at position 18 is ${actual}, expected ${expected}; a character is probably mistyped ` +
        `(第18位校验码为${actual}，按前17位计算应为${expected}，请核对代码)`,
    };
  }
  return { ok: true, uscc: value };
}

/** True for a valid code already in canonical form (18 upper-case characters, nothing to trim). */
export function isUscc(s: unknown): s is string {
  const result = validateUscc(s);
  return result.ok && result.uscc === s;
}

/** Appends the check character to 17 characters, e.g. to make demo data. */
export function makeUscc(prefix17: string): string {
  return `${prefix17}${usccCheckCharacter(prefix17)}`;
}
