/**
 * Stored text carries no control characters (C0, DEL, C1) and no bidirectional embedding, override or
 * isolate characters: they break feeds (XML 1.0 forbids most of C0) and can make a name read otherwise
 * than it is stored.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being refused
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export const UNSAFE_TEXT_MESSAGE =
  'control characters and bidirectional-override characters (U+0000–U+001F, U+007F–U+009F, U+202A–U+202E, U+2066–U+2069) are not allowed';

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
