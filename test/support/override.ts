/** `target` with some methods replaced (a failing or racing store); the others are the target's own. */
export function override<T extends object>(target: T, methods: Partial<T>): T {
  return Object.assign(Object.create(target), methods) as T;
}
