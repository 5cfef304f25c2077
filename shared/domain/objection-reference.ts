import { randomInt } from 'node:crypto';

/**
 * An objection's public reference: 8 characters of Crockford's base-32 alphabet (no I, L, O or U,
 * so nothing reads as another character), shown as two groups of four (`7KQ2-M9XD`). 32^8 ≈ 1.1 × 10^12
 * references: with even 100 000 objections stored, a random guess finds one once in about 11 million
 * tries, and the lookup route refuses a client's misses long before that (http/public/objection-status.ts).
 */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 8;

/** A new random reference, as stored (no separator). */
export function newReference(): string {
  let out = '';
  for (let i = 0; i < REFERENCE_LENGTH; i++) out += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return out;
}

/** `7KQ2M9XD` → `7KQ2-M9XD`: how pages and receipts print it. */
export function formatReference(ref: string): string {
  return `${ref.slice(0, 4)}-${ref.slice(4)}`;
}

/**
 * A reference as typed: case, spaces and hyphens do not matter, and the letters Crockford reads as
 * digits (O → 0, I and L → 1) are read so. Null when it cannot be a reference.
 */
export function parseReference(typed: string): string | null {
  const ref = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (ref.length !== REFERENCE_LENGTH) return null;
  for (const c of ref) if (!REFERENCE_ALPHABET.includes(c)) return null;
  return ref;
}
