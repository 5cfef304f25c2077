import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The viewer-request function's source, as CloudFront runs it (infra/edge/cache-key.js). */
export const CACHE_KEY_FUNCTION_FILE = join(dirname(fileURLToPath(import.meta.url)), 'cache-key.js');

export interface EdgeValue {
  value: string;
  multiValue?: EdgeValue[];
}

/** The part of a CloudFront Functions viewer-request event the function reads and returns. */
export interface EdgeRequest {
  method: string;
  uri: string;
  querystring: Record<string, EdgeValue>;
  headers: Record<string, EdgeValue>;
}

/** The function's `handler`, evaluated from the same file CloudFront is given. */
export function loadCacheKeyFunction(): (event: { request: EdgeRequest }) => EdgeRequest {
  const source = readFileSync(CACHE_KEY_FUNCTION_FILE, 'utf8');
  return new Function(`${source}\nreturn handler;`)() as (event: { request: EdgeRequest }) => EdgeRequest;
}

/** A request as CloudFront hands it to the function: query values as they were sent (still encoded). */
export function edgeRequestOf(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): EdgeRequest {
  const u = new URL(url, 'https://edge.test');
  const querystring: Record<string, EdgeValue> = {};
  for (const part of u.search.slice(1).split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = decodeURIComponent(at < 0 ? part : part.slice(0, at));
    const value = at < 0 ? '' : part.slice(at + 1);
    const held = querystring[name];
    if (!held) querystring[name] = { value };
    else held.multiValue = [...(held.multiValue ?? [{ value: held.value }]), { value }];
  }
  const h: Record<string, EdgeValue> = {};
  for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = { value: v };
  return { method, uri: u.pathname, querystring, headers: h };
}

/** What the origin receives after the function: the path and query in the order the function left them. */
export function urlOf(r: EdgeRequest): string {
  const query = Object.entries(r.querystring)
    .flatMap(([k, v]) => (v.multiValue ?? [v]).map((x) => `${encodeURIComponent(k)}=${x.value}`))
    .join('&');
  return query ? `${r.uri}?${query}` : r.uri;
}

/** The cache key the policy forms from a rewritten request: path, query, and the Accept it keeps. */
export function cacheKeyOf(r: EdgeRequest): string {
  return `${urlOf(r)} accept=${r.headers.accept?.value ?? ''}`;
}
