/** A page of a Query: items plus the key to resume after the last one returned. */
export interface Page<T> {
  items: T[];
  lastKey: Record<string, unknown> | null;
}

/** Strips the key, index and storage-only attributes from a stored item. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const {
    pk,
    sk,
    gsi1pk,
    gsi1sk,
    gsi2pk,
    gsi2sk,
    gsi3pk,
    gsi3sk,
    gsi4pk,
    gsi4sk,
    gradeKey,
    writeToken,
    ...rest
  } = item;
  return rest as T;
}
