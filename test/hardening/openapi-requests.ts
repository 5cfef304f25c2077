import fc from 'fast-check';

/**
 * Request generators driven by the OpenAPI 3.1 document the service serves: every operation in it,
 * with valid values derived from its parameter and body schemas, boundary values, wrong types,
 * oversized strings and arrays, odd Unicode, malformed JSON, wrong content types and huge bodies.
 * Shared by the CI run (`test/hardening/fuzz.test.ts`) and the long run (`npm run fuzz`).
 */

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema fragment from the served document
export type Schema = Record<string, any>;

export interface OpenApiDoc {
  paths: Record<string, Record<string, OperationDoc>>;
  security?: Array<Record<string, string[]>>;
  components?: { schemas?: Record<string, Schema>; parameters?: Record<string, Schema> };
}

interface OperationDoc {
  parameters?: Schema[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/v1/institutions/{uscc}`. */
  path: string;
  parameters: Parameter[];
  body: { required: boolean; contentType: string; schema: Schema } | null;
  /** Statuses listed under `responses`. */
  documented: Set<number>;
  secured: boolean;
  /** A human page (HTML), not in the API document. */
  page?: boolean;
  /** A method the path does not list: must be refused. */
  unlisted?: boolean;
}

export interface FuzzRequest {
  op: Operation;
  url: string;
  init: RequestInit & { headers: Record<string, string> };
  /** Label of what was done to the request, for the failure message. */
  shape: string;
}

/** Values the generators use to hit existing objects (ids of the demo data), by parameter name. */
export type KnownValues = Record<string, readonly string[]>;

/** Tokens: `valid` of every role, `bad` ones (expired, wrong signature, no role, garbage). */
export interface TokenPool {
  valid: readonly string[];
  bad: readonly string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the document, $refs resolved. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = (op.parameters ?? []).map((p) => {
        const param = resolve(doc, p);
        return {
          name: String(param.name),
          in: param.in,
          required: Boolean(param.required) || param.in === 'path',
          schema: resolve(doc, param.schema ?? { type: 'string' }),
        } as Parameter;
      });
      const content = op.requestBody?.content ?? {};
      const [contentType, media] = Object.entries(content)[0] ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters,
        body:
          contentType && media
            ? {
                required: op.requestBody?.required ?? false,
                contentType,
                schema: deref(doc, media.schema ?? {}),
              }
            : null,
        documented: new Set(Object.keys(op.responses ?? {}).map(Number)),
        // Declared on the operation or for the whole document, or implied by a documented 401.
        secured:
          (op.security ?? doc.security ?? []).some((s) => Object.keys(s).length > 0) ||
          Object.hasOwn(op.responses ?? {}, '401'),
      });
    }
  }
  return ops;
}

function resolve(doc: OpenApiDoc, s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 10 && typeof cur?.$ref === 'string'; i++) {
    const parts = (cur.$ref as string).replace(/^#\//, '').split('/');
    // biome-ignore lint/suspicious/noExplicitAny: walking the document by a JSON pointer
    let target: any = doc;
    for (const part of parts) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    cur = { ...target, ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== '$ref')) };
  }
  return cur;
}

/** Resolves every $ref inside a schema (cycles are cut at depth 8). */
function deref(doc: OpenApiDoc, s: Schema, depth = 0): Schema {
  if (depth > 8 || s === null || typeof s !== 'object') return s;
  const r = resolve(doc, s);
  const out: Schema = Array.isArray(r) ? [] : {};
  for (const [k, v] of Object.entries(r)) {
    out[k] = Array.isArray(v)
      ? v.map((x) => deref(doc, x, depth + 1))
      : typeof v === 'object'
        ? deref(doc, v, depth + 1)
        : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strings that have broken services: odd Unicode and lengths.

const ODD_PIECES = [
  '１２３４５', // full-width digits
  'ＡＢＣ',
  '😷💉🏥',
  '👩‍⚕️', // ZWJ sequence
  '\u202e悦颜\u202c', // RTL override
  '\u200f\u200e',
  '\u0000',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\ufeff',
  '\u0301\u0301\u0301', // combining marks alone
  'ﷺ', // NFKC expands to 18 characters
  '﷽',
  '%',
  '%00',
  '%%ZZ',
  '../..',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '$'.concat('{jndi:ldap://x}'),
  '\\',
  '"',
  ',',
  ',,,',
  '   ',
  '\t\r\n',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '西湖',
  'xhmr',
];

export const oddString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...ODD_PIECES),
    fc.array(fc.constantFrom(...ODD_PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );

const oversizedString = (max: number | undefined): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant('悦'.repeat((max ?? 64) + 1)),
    fc.constant('a'.repeat((max ?? 256) * 4 + 1)),
    fc.constant('𝒜'.repeat(Math.min(4_000, (max ?? 64) + 1))),
    fc.constant('x'.repeat(20_000)),
  );

// ---------------------------------------------------------------------------------------------
// Values from a schema.

function types(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (typeof s.type === 'string') return [s.type];
  if (s.enum) return [typeof s.enum[0]];
  if (s.properties) return ['object'];
  if (s.items) return ['array'];
  return [];
}

/** A value the schema accepts (as far as the schema tells: `format`/`pattern` are approximated). */
export function validValue(s: Schema, known: KnownValues = {}, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...s.enum);
  const alts = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (alts && alts.length > 0) return fc.oneof(...alts.map((a) => validValue(a, known, name, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length > 0)
    return validValue(Object.assign({}, ...s.allOf), known, name, depth);
  const ts = types(s);
  const arbs: fc.Arbitrary<unknown>[] = ts.map((t) => validOfType(t, s, known, name, depth));
  if (arbs.length === 0) return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
  return arbs.length === 1 ? (arbs[0] as fc.Arbitrary<unknown>) : fc.oneof(...arbs);
}

function validOfType(
  t: string,
  s: Schema,
  known: KnownValues,
  name: string,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (t) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000);
      if (t === 'integer') return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      return fc.oneof(
        fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
        fc.integer({ min: Math.ceil(min * 10), max: Math.floor(max * 10) }).map((n) => n / 10),
      );
    }
    case 'string':
      return validString(s, known, name);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      return fc.array(validValue(s.items ?? {}, known, name, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 4, 4),
      });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>(s.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = validValue(v, known, k, depth + 1);
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in props) });
    }
    default:
      return fc.constant(null);
  }
}

function validString(s: Schema, known: KnownValues, name: string): fc.Arbitrary<string> {
  const pool = known[name];
  const options: fc.Arbitrary<string>[] = [];
  // Known ids and cursors reach the code behind the lookups; random strings mostly do not.
  if (pool && pool.length > 0)
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, fc.string());
  if (typeof s.example === 'string') options.push(fc.constant(s.example));
  const fmt = s.format as string | undefined;
  if (fmt === 'date' || /On$|Date$|date$/.test(name)) {
    options.push(
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2028-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    );
  } else if (fmt === 'date-time') {
    options.push(
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2028-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    );
  } else {
    const minLength = s.minLength ?? 0;
    const maxLength = Math.min(s.maxLength ?? 24, 64);
    options.push(fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }));
    options.push(
      fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, Math.min(maxLength, 12)) }),
    );
  }
  return fc.oneof(...options);
}

/** Values next to the schema's edges: at and just past every bound. */
export function boundaryValue(s: Schema): fc.Arbitrary<unknown> {
  const out: unknown[] = [];
  const ts = types(s);
  if (ts.includes('integer') || ts.includes('number')) {
    for (const b of [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum]) {
      if (typeof b === 'number') out.push(b, b - 1, b + 1, b + 0.5);
    }
    out.push(0, -1, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, 0.1);
    // Floats DynamoDB cannot store (it keeps 1e-130 to 1e126), and -0.
    out.push(1e-300, 5e-324, 1e21, -0);
  }
  if (ts.includes('string')) {
    if (typeof s.maxLength === 'number') out.push('a'.repeat(s.maxLength), 'a'.repeat(s.maxLength + 1));
    if (typeof s.minLength === 'number' && s.minLength > 0) out.push('a'.repeat(s.minLength - 1));
    out.push('');
    if (Array.isArray(s.enum))
      out.push(...s.enum.map((e: unknown) => String(e).toLowerCase()), `${s.enum[0]} `);
  }
  if (ts.includes('array')) {
    if (typeof s.maxItems === 'number') out.push(Array(s.maxItems + 1).fill(s.items?.example ?? 'a'));
    out.push([], Array(10_000).fill(1));
  }
  if (out.length === 0) out.push('', 0, null);
  return fc.constantFrom(...out);
}

/** A value of the wrong JSON type for the schema. */
export function wrongType(s: Schema): fc.Arbitrary<unknown> {
  const ts = new Set(types(s));
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', oddString()],
    ['number', fc.oneof(fc.double(), fc.constant(-0))],
    ['integer', fc.integer()],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 })],
    ['object', fc.object({ maxDepth: 1, maxKeys: 3 })],
  ];
  const picks = all.filter(([t]) => !ts.has(t) && !(t === 'integer' && ts.has('number'))).map(([, a]) => a);
  return picks.length > 0 ? fc.oneof(...picks) : oddString();
}

/** A body object with one field mutated: dropped, of the wrong type, oversized, or an extra one. */
function mutatedBody(s: Schema, known: KnownValues): fc.Arbitrary<unknown> {
  const props = Object.entries((s.properties ?? {}) as Record<string, Schema>);
  const base = validValue(s, known);
  if (props.length === 0) return fc.oneof(base, wrongType(s));
  return fc.tuple(base, fc.constantFrom(...props), fc.nat({ max: 5 })).chain(([value, [key, ps], how]) => {
    const obj = { ...(value as Record<string, unknown>) };
    switch (how) {
      case 0:
        delete obj[key];
        return fc.constant(obj);
      case 1:
        return wrongType(ps).map((w) => ({ ...obj, [key]: w }));
      case 2:
        return boundaryValue(ps).map((b) => ({ ...obj, [key]: b }));
      case 3:
        return oversizedString(ps.maxLength).map((o) => ({ ...obj, [key]: o }));
      case 4:
        return oddString().map((o) => ({ ...obj, [key]: o }));
      default:
        return fc.constant({ ...obj, unexpected: 'x', __proto__: { polluted: true } });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Whole requests.

type ParamMode = 'valid' | 'boundary' | 'wrong' | 'odd' | 'oversized' | 'absent';

function paramValue(p: Parameter, known: KnownValues, mode: ParamMode): fc.Arbitrary<string | undefined> {
  const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  switch (mode) {
    case 'valid':
      return validValue(p.schema, known, p.name).map(asText);
    case 'boundary':
      return boundaryValue(p.schema).map(asText);
    case 'wrong':
      return wrongType(p.schema).map(asText);
    case 'odd':
      return oddString();
    case 'oversized':
      return oversizedString(p.schema.maxLength);
    default:
      return fc.constant(undefined);
  }
}

/** Most requests break at most one parameter, so the others reach the code behind validation. */
const BROKEN_MODE = fc.constantFrom<ParamMode>('boundary', 'wrong', 'odd', 'oversized');
const KEPT_MODE = fc.constantFrom<ParamMode>('valid', 'valid', 'absent');

/** Percent-encodes; a lone surrogate (not encodable as UTF-8) goes out as the invalid bytes a client might send. */
function encodeSegment(v: string): string {
  return Array.from(v, (ch) => (/^[\ud800-\udfff]$/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join(
    '',
  );
}

const ACCEPTS = [
  undefined,
  'application/json',
  'application/atom+xml',
  'text/html',
  '*/*',
  'application/xml;q=0.9, */*;q=0.1',
  'garbage/\u00ff',
  'application/problem+json',
];

type BodyShape = 'valid' | 'mutated' | 'wrong-type' | 'malformed' | 'wrong-content-type' | 'huge' | 'none';

const BODY_SHAPE = fc.constantFrom<BodyShape>(
  'valid',
  'valid',
  'mutated',
  'mutated',
  'mutated',
  'wrong-type',
  'malformed',
  'wrong-content-type',
  'huge',
  'none',
);

const MALFORMED_JSON = [
  '{',
  '{"a":',
  '[1,2',
  '{"uscc": "x",}',
  "{'single': 'quotes'}",
  'NaN',
  '\u0000',
  '{"a":"\\ud800"}',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '{"__proto__": {"admin": true}}',
  '[]',
  '"string"',
  'null',
  '1e999999',
  '{"a":'.repeat(5000),
];

function bodyFor(
  op: Operation,
  known: KnownValues,
  shape: BodyShape,
): fc.Arbitrary<{ body?: string; contentType?: string }> {
  const spec = op.body ?? { required: false, contentType: 'application/json', schema: { type: 'object' } };
  const json = (a: fc.Arbitrary<unknown>) =>
    a.map((v) => ({ body: JSON.stringify(v) ?? 'null', contentType: spec.contentType }));
  switch (shape) {
    case 'valid':
      return json(validValue(spec.schema, known));
    case 'mutated':
      return json(mutatedBody(spec.schema, known));
    case 'wrong-type':
      return json(wrongType(spec.schema));
    case 'malformed':
      return fc.constantFrom(...MALFORMED_JSON).map((body) => ({ body, contentType: spec.contentType }));
    case 'wrong-content-type':
      return fc
        .tuple(
          validValue(spec.schema, known),
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            'application/json; charset=latin1',
            '',
          ),
        )
        .map(([v, contentType]) => ({ body: JSON.stringify(v) ?? '', contentType }));
    case 'huge':
      return fc
        .constantFrom(300 * 1024, 1024 * 1024)
        .map((n) => ({ body: `{"pad":"${'x'.repeat(n)}"}`, contentType: spec.contentType }));
    default:
      return fc.constant({});
  }
}

function authHeader(op: Operation, tokens: TokenPool): fc.Arbitrary<string | undefined> {
  if (!op.secured) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom(...tokens.bad).map((t) => `Bearer ${t}`) },
    );
  }
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens.valid).map((t) => `Bearer ${t}`) },
    { weight: 2, arbitrary: fc.constantFrom(...tokens.bad).map((t) => `Bearer ${t}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer  x y'),
    },
  );
}

function modeFor(i: number, broken: number, n: number): fc.Arbitrary<ParamMode> {
  if (i === broken) return BROKEN_MODE;
  return broken === n ? fc.oneof(BROKEN_MODE, KEPT_MODE) : KEPT_MODE;
}

/** Values for every parameter: -1 keeps all valid (or left out), n breaks several, else breaks that one. */
function paramsFor(op: Operation, known: KnownValues) {
  const n = op.parameters.length;
  const one = (p: Parameter, mode: ParamMode) =>
    paramValue(p, known, p.required && mode === 'absent' ? 'valid' : mode).map((v) => ({ p, mode, v }));
  return fc
    .integer({ min: -1, max: n })
    .chain((broken) =>
      fc.tuple(...op.parameters.map((p, i) => modeFor(i, broken, n).chain((m) => one(p, m)))),
    );
}

/** One generated request for `op`. */
export function requestFor(op: Operation, known: KnownValues, tokens: TokenPool): fc.Arbitrary<FuzzRequest> {
  const params = paramsFor(op, known);
  const sendsBody = op.body !== null || op.method !== 'GET';
  return fc
    .record({
      params,
      body: sendsBody
        ? BODY_SHAPE.chain((shape) => bodyFor(op, known, shape).map((b) => ({ shape, ...b })))
        : fc.constant<{ shape: BodyShape; body?: string; contentType?: string }>({ shape: 'none' }),
      auth: authHeader(op, tokens),
      accept: fc.constantFrom(...ACCEPTS),
      ifNoneMatch: fc.constantFrom(undefined, undefined, undefined, '*', 'W/"x"', '"\u00ff"', 'garbage'),
      extraQuery: fc.option(fc.constantFrom('unknown=1', 'limit=1&limit=2', 'q', '%ZZ=1', 'a[b]=c'), {
        freq: 6,
      }),
    })
    .map(({ params: values, body, auth, accept, ifNoneMatch, extraQuery }) => {
      let url = op.path;
      const query: string[] = [];
      const headers: Record<string, string> = {};
      for (const { p, v } of values) {
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeSegment(v ?? ''));
        else if (p.in === 'query' && v !== undefined)
          query.push(`${encodeURIComponent(p.name)}=${encodeSegment(v)}`);
        else if (p.in === 'header' && v !== undefined) headers[p.name] = v.replace(/[^\t\x20-\x7e]/g, '?');
      }
      if (extraQuery) query.push(extraQuery);
      if (query.length > 0) url += `?${query.join('&')}`;
      if (auth !== undefined) headers.authorization = auth;
      if (accept !== undefined) headers.accept = accept.replace(/[^\t\x20-\x7e]/g, '?');
      if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch.replace(/[^\t\x20-\x7e]/g, '?');
      const init: FuzzRequest['init'] = { method: op.method, headers };
      if (body.body !== undefined && op.method !== 'GET') {
        init.body = body.body;
        if (body.contentType) headers['content-type'] = body.contentType;
      }
      const shape = [
        ...values.map(({ p, mode }) => `${p.name}:${mode}`),
        `body:${body.shape}`,
        auth === undefined ? 'no-auth' : 'auth',
      ].join(' ');
      return { op, url, init, shape };
    });
}
