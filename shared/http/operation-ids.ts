/**
 * Gives every operation without one an `operationId` derived from its method and path
 * (`GET /v1/institutions/{uscc}` → `getV1InstitutionsByUscc`), so generated clients get stable names.
 */
export function withOperationIds<T extends { paths?: object }>(doc: T): T {
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(
    (doc.paths ?? {}) as Record<string, Record<string, unknown> | undefined>,
  )) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (!op || typeof op !== 'object' || !HTTP_METHODS.has(method)) continue;
      const operation = op as { operationId?: string };
      let id = operation.operationId ?? operationIdFor(method, path);
      for (let n = 2; seen.has(id); n++) id = `${operationIdFor(method, path)}${n}`;
      operation.operationId = id;
      seen.add(id);
    }
  }
  return doc;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** `GET /v1/institutions/{uscc}` → `getV1InstitutionsByUscc`. */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param?.[1] ? ['by', ...param[1].split(/[^A-Za-z0-9]+/)] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter(Boolean);
  return method + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
}
