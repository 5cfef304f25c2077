/** Object keys in code-point order at every depth; arrays keep their order. */
const sortedKeys = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      )
    : value;

/**
 * Whether two values hold the same data as the table keeps it: the table keeps no order among a map's
 * attributes and stores no attribute set to `undefined`, so neither counts. Compare what is held with
 * what a write would put before deciding a write changes nothing.
 */
export function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, sortedKeys) === JSON.stringify(b, sortedKeys);
}
