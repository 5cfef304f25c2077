/**
 * Stored text carries no control characters (C0, DEL, C1) and no invisible format characters (Unicode
 * category Cf: bidirectional embeddings, overrides and isolates, direction marks, zero-width characters,
 * the byte-order mark, soft hyphens, tags): controls break feeds (XML 1.0 forbids most of C0), and an
 * invisible character can make a name read otherwise than it is stored or pass for another one.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being refused
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\p{Cf}]/u;

export const UNSAFE_TEXT_MESSAGE =
  'control characters (U+0000–U+001F, U+007F–U+009F) and invisible format characters (Unicode category Cf, such as U+200B, U+200E, U+202E, U+FEFF) are not allowed';

/** The first refused character in `value` as U+XXXX, or null when there is none. */
export function unsafeCharacter(value: string): string | null {
  const m = UNSAFE.exec(value);
  // Stryker disable next-line OptionalChaining: a match is one character, so it has a code point
  return m ? `U+${m[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

const UNSHOWABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being replaced
  /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as an output may show it whatever was stored (data kept from before stored text was checked):
 * each character `unsafeCharacter` refuses, and each one XML 1.0 cannot carry (a lone surrogate,
 * U+FFFE, U+FFFF), becomes U+FFFD, so a feed stays well-formed and a name cannot read reversed.
 */
export function shownSafely(value: string): string {
  return value.replace(UNSHOWABLE, '\uFFFD');
}
