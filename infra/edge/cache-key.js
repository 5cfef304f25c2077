// CloudFront viewer-request function (runtime cloudfront-js-2.0): rewrites each public read so that
// requests the app answers alike reach the cache as one key. Only the query parameters the route
// reads are kept, in a fixed order; the search `q` of the API is trimmed, its spaces removed and its
// ASCII letters lowered, as the app does before searching; `Accept` is kept (reduced to JSON or Atom)
// only where the app chooses by it. Anything the app might read differently is left as it came, so a
// key can only ever hold one answer. Plain ES5-style JavaScript: the tests and the bench evaluate this
// same file (test/infra/edge-cache-key.test.ts, bench/edge-cache.bench.ts). docs/performance.md.

const SEARCH = ['q', 'district', 'grade', 'kind', 'procedure', 'near', 'radius', 'limit', 'cursor'];
const PAGE_SEARCH = ['q', 'district', 'grade', 'kind', 'cursor'];
const CHANGES = ['since', 'limit', 'type', 'district'];
const LISTS = ['limit', 'cursor'];

// Path → the parameters its route reads, and how. Paths not listed are left untouched.
function routeOf(path) {
  if (path === '/v1/institutions') return { params: SEARCH, apiQ: true };
  if (path === '/') return { params: PAGE_SEARCH, dropEmpty: true };
  if (path === '/v1/changes') return { params: CHANGES, accept: true };
  if (path === '/v1/changes.atom') return { params: CHANGES };
  if (path === '/v1/publicity') return { params: LISTS };
  if (/^\/v1\/institutions\/[^/]+(\/qr\.svg)?$/.test(path)) return { params: [] };
  if (/^\/i\/[^/]+(\/sign)?$/.test(path)) return { params: [] };
  if (path === '/v1/stats' || path === '/stats' || path === '/openapi.json' || path === '/docs') {
    return { params: [] };
  }
  return null;
}

// The app decodes '+' as a space and %XX as UTF-8; null when the value does not decode.
function decode(value) {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch (_e) {
    return null;
  }
}

// The longest query the app accepts, in code points (shared/domain/search-query.ts MAX_QUERY_LENGTH).
const MAX_Q = 64;

// The API's `q` as the app normalises it, or the value unchanged when it holds anything beyond ASCII
// and the common CJK ideographs: those are the characters whose NFKC form is themselves and whose case
// is ASCII's, so removing spaces and lowering A–Z is exactly what the app's normalisation does to them.
function normaliseQ(q) {
  if (q.length > MAX_Q) return q;
  let out = '';
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x3000) continue;
    if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c + 32);
    else if ((c > 0x20 && c < 0x7f) || (c >= 0x4e00 && c <= 0x9fff)) out += q.charAt(i);
    else return q;
  }
  return out;
}

// The app's page size: "20", "020" and no limit at all are the same page.
function normaliseLimit(v) {
  if (!/^[0-9]{1,3}$/.test(v)) return v;
  const n = String(Number(v));
  return n === '20' ? null : n;
}

// Atom when the app would choose it (shared/http/public/changes.ts prefersAtom), else JSON.
function acceptOf(accept) {
  let atomQ = 0;
  let jsonQ = 0;
  const parts = accept.split(',');
  for (let i = 0; i < parts.length; i++) {
    const bits = parts[i].trim().split(';');
    const media = bits[0].trim().toLowerCase();
    let q = 1;
    for (let j = 1; j < bits.length; j++) {
      const p = bits[j].trim();
      if (p.indexOf('q=') === 0) {
        q = Number(p.slice(2));
        break;
      }
    }
    if (Number.isNaN(q)) q = 0;
    if (media === 'application/atom+xml') atomQ = Math.max(atomQ, q);
    if (media === 'application/json') jsonQ = Math.max(jsonQ, q);
  }
  return atomQ > 0 && atomQ >= jsonQ ? 'application/atom+xml' : 'application/json';
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls it by this name
function handler(event) {
  const request = event.request;
  if (request.method !== 'GET' && request.method !== 'HEAD') return request;
  const route = routeOf(request.uri);
  if (!route) return request;
  const given = request.querystring || {};
  const kept = {};
  for (let i = 0; i < route.params.length; i++) {
    const name = route.params[i];
    const entry = given[name];
    if (!entry) continue;
    // A repeated parameter is answered as the app sees it; left whole.
    if (entry.multiValue && entry.multiValue.length > 1) {
      kept[name] = entry;
      continue;
    }
    let value = decode(entry.value);
    if (value === null) return request;
    if (route.dropEmpty && value.trim() === '') continue;
    if (route.apiQ && name === 'q') value = normaliseQ(value);
    if (name === 'limit' && !route.dropEmpty) {
      value = normaliseLimit(value);
      if (value === null) continue;
    }
    kept[name] = { value: encodeURIComponent(value) };
  }
  request.querystring = kept;
  const headers = request.headers;
  if (route.accept) {
    headers.accept = { value: headers.accept ? acceptOf(headers.accept.value) : 'application/json' };
  } else {
    delete headers.accept;
  }
  return request;
}
