/**
 * Read units as DynamoDB charges them, from the sizes of the items read (the "item sizes and formats"
 * and "read request units" rules of the DynamoDB developer guide):
 * - an item's size is the sum, over its attributes, of the name's UTF-8 length and the value's size;
 *   a string is its UTF-8 length, a number 1 byte per two significant digits plus 1, null and booleans
 *   1 byte, a list or map 3 bytes plus 1 per element plus its elements (a map's keys counted like names);
 * - GetItem: the item's size rounded up to 4 KB, one unit per 4 KB (a missing item costs the minimum,
 *   one unit); BatchGetItem charges every item as its own GetItem;
 * - Query: the total size of the items a page returns, rounded up to 4 KB (an empty page one unit);
 * - eventually consistent reads cost half a unit per 4 KB, strongly consistent reads a whole one.
 */
export const READ_BLOCK = 4096;

export function stringBytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function numberBytes(n: number): number {
  if (n === 0) return 1;
  // Significant digits, leading and trailing zeros trimmed.
  const digits = Math.abs(n).toExponential().replace(/e.*$/, '').replace('.', '').replace(/0+$/, '');
  return 1 + Math.ceil(digits.length / 2);
}

/** The size of one attribute value as a document client hands it over. */
export function valueBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return stringBytes(value);
  if (typeof value === 'number') return numberBytes(value);
  if (typeof value === 'bigint') return numberBytes(Number(value));
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueBytes(v), 0);
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueBytes(v), 0);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return 3 + entries.length + itemBytes(Object.fromEntries(entries));
  }
  throw new Error(`no DynamoDB size for a ${typeof value}`);
}

/** The size DynamoDB gives an item: attribute names and values (undefined attributes are not stored). */
export function itemBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += stringBytes(name) + valueBytes(value);
  }
  return size;
}

const perUnit = (consistent: boolean) => (consistent ? 1 : 0.5);

/** Read units of one GetItem of an item of `bytes` (null: no such item). */
export function getItemUnits(bytes: number | null, consistent: boolean): number {
  const blocks = bytes === null ? 1 : Math.max(1, Math.ceil(bytes / READ_BLOCK));
  return blocks * perUnit(consistent);
}

/** Read units of one BatchGetItem: each key charged as its own GetItem. */
export function batchGetUnits(sizes: ReadonlyArray<number | null>, consistent: boolean): number {
  return sizes.reduce((n: number, s) => n + getItemUnits(s, consistent), 0);
}

/** Read units of one Query page: the items' total size rounded up once. */
export function queryPageUnits(sizes: readonly number[], consistent: boolean): number {
  const total = sizes.reduce((n, s) => n + s, 0);
  return Math.max(1, Math.ceil(total / READ_BLOCK)) * perUnit(consistent);
}
