import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  describeJsonError,
  headerLimit,
  headerSize,
  headersTooLarge,
  jsonSyntax,
  lineAndColumn,
  MAX_HEADER_BYTES,
} from '#shared/http/request-checks.ts';

/** What JSON.parse says about `text`, as the check reads it. */
function described(text: string) {
  try {
    JSON.parse(text);
  } catch (err) {
    return describeJsonError(text, err as SyntaxError);
  }
  throw new Error(`${text} parses`);
}

describe('where a JSON body goes wrong, in Chinese and English', () => {
  const PROPERTY = {
    zh: '属性名必须用双引号括起来，且最后一项后面不能有逗号',
    en: 'property names need double quotes, and no comma may follow the last one',
  };
  const ESCAPE = { zh: '字符串中的转义序列无效', en: 'a string holds an invalid escape sequence' };
  const CASES: Array<
    [text: string, what: { zh: string; en: string }, line: number, column: number, offset: number]
  > = [
    ['{"a":1,}', PROPERTY, 1, 8, 7],
    ['{a:1}', PROPERTY, 1, 2, 1],
    ['{"name":"x",}', PROPERTY, 1, 13, 12],
    ['{"a" 1}', { zh: '属性名后缺少冒号', en: "a ':' is missing after a property name" }, 1, 6, 5],
    ['{"a":1\n "b":2}', { zh: '缺少逗号或右括号', en: "a ',' or closing bracket is missing" }, 2, 2, 8],
    ['{"a":1} x', { zh: 'JSON 结束后还有多余内容', en: 'there is more text after the JSON value' }, 1, 9, 8],
    [
      '"a\u0001"',
      {
        zh: '字符串中有未转义的控制字符（如换行）',
        en: 'a string holds an unescaped control character (such as a line break)',
      },
      1,
      3,
      2,
    ],
    ['"\\q"', ESCAPE, 1, 3, 2],
    ['"\\u12"', ESCAPE, 1, 6, 5],
    [
      '{"文本": ',
      {
        zh: 'JSON 不完整（提前结束，可能缺少 } 或 ]）',
        en: 'the JSON ends too early (a } or ] may be missing)',
      },
      1,
      8,
      7,
    ],
  ];

  it('names each kind of syntax error with its line and column; a cut body ends after its last character', () => {
    for (const [text, what, line, column, offset] of CASES) {
      expect(described(text), text).toEqual({
        zh: `${what.zh}：第 ${line} 行第 ${column} 列`,
        en: `${what.en}: at line ${line}, column ${column}`,
        offset,
      });
    }
  });

  it('quotes an unexpected token, which JSON.parse does not place', () => {
    expect(described('{"a": True}')).toEqual({
      zh: '出现了意外的内容“T”（字符串须用双引号，true/false/null 须小写拼全）',
      en: "unexpected 'T' (strings need double quotes; true, false and null must be spelt in full)",
    });
    expect(describeJsonError('x', new SyntaxError('Unexpected token in JSON'))).toEqual({
      zh: '出现了意外的内容（字符串须用双引号，true/false/null 须小写拼全）',
      en: 'unexpected text (strings need double quotes; true, false and null must be spelt in full)',
    });
    expect(describeJsonError('x', new SyntaxError('something else entirely'))).toEqual({
      zh: '此处的字符不符合 JSON 语法',
      en: 'a character here is not valid JSON',
    });
  });

  it('says an empty or blank body is empty', () => {
    const empty = { zh: '请求体为空，应为 JSON', en: 'the request body is empty; JSON was expected' };
    expect(described('')).toEqual(empty);
    expect(described(' \n ')).toEqual(empty);
  });

  it('counts columns in characters, not UTF-16 units, from the last line break', () => {
    expect(lineAndColumn('ab\n😀x', 6)).toEqual({ line: 2, column: 3 });
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('request headers over the limit', () => {
  it('sizes a header as name, value and four bytes of framing, in UTF-8', () => {
    expect(headerSize(new Headers({ a: 'bc', 'x-b': 'é' }))).toBe(1 + 2 + 4 + (3 + 2 + 4));
  });

  it('answers 431 only above the limit, saying how large they were', async () => {
    const app = new Hono();
    app.use('*', headerLimit());
    app.get('/', (c) => c.text('ok'));
    // One header named `x` whose value fills the limit exactly (1 + value + 4 bytes).
    const at = await app.request('/', { headers: { x: 'v'.repeat(MAX_HEADER_BYTES - 5) } });
    expect(at.status).toBe(200);
    const over = await app.request('/', { headers: { x: 'v'.repeat(MAX_HEADER_BYTES - 4) } });
    expect(over.status).toBe(431);
    expect(over.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await over.json()).toEqual(headersTooLarge(MAX_HEADER_BYTES + 1));
    expect(headersTooLarge(MAX_HEADER_BYTES + 1)).toEqual({
      type: 'https://yimei-credit.hangzhou.example/problems/header-fields-too-large',
      title: 'Request header fields too large',
      status: 431,
      detail:
        '请求头过大（上限 16384 字节）。The request headers (16385 bytes) exceed 16384 bytes; send fewer or shorter headers (cookies, tokens).',
    });
    expect(headersTooLarge().detail).toBe(
      '请求头过大（上限 16384 字节）。The request headers exceed 16384 bytes; send fewer or shorter headers (cookies, tokens).',
    );
  });
});

describe('the JSON syntax check before the routes', () => {
  function app() {
    const a = new Hono<never>();
    a.use('*', jsonSyntax(a));
    const echo = async (c: { req: { text(): Promise<string> }; text(t: string): Response }) =>
      c.text(`route got ${await c.req.text()}`);
    a.post('/things', echo);
    a.put('/things', echo);
    a.patch('/things', echo);
    a.get('/things', (c) => c.text('list'));
    a.delete('/things', (c) => c.text('gone'));
    return a;
  }
  const send = (method: string, body: string, type = 'application/json') =>
    app().request('/things', { method, headers: { 'Content-Type': type }, body });

  it('refuses a malformed body on POST, PUT and PATCH with the problem naming the body', async () => {
    for (const method of ['POST', 'PUT', 'PATCH']) {
      const res = await send(method, '{"a":1,}');
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        type: 'https://yimei-credit.hangzhou.example/problems/malformed-json',
        title: 'Malformed JSON',
        status: 400,
        detail:
          '请求体不是有效的 JSON：属性名必须用双引号括起来，且最后一项后面不能有逗号：第 1 行第 8 列。The request body is not valid JSON: property names need double quotes, and no comma may follow the last one: at line 1, column 8.',
        errors: [
          {
            path: 'body',
            message:
              'property names need double quotes, and no comma may follow the last one: at line 1, column 8',
          },
        ],
        offset: 7,
      });
    }
    const blank = (await (await send('POST', '')).json()) as { errors: unknown };
    expect(blank).not.toHaveProperty('offset');
    expect(blank.errors).toEqual([{ path: 'body', message: 'the request body is empty; JSON was expected' }]);
  });

  it('checks JSON media types with a suffix, in any case, and passes the same bytes on', async () => {
    expect((await send('POST', '{', 'application/merge-patch+json')).status).toBe(400);
    expect((await send('POST', '{', 'Application/JSON; charset=utf-8')).status).toBe(400);
    const ok = await send('POST', '{"名":"值"}');
    expect(await ok.text()).toBe('route got {"名":"值"}');
  });

  it('leaves other media types, other methods and unserved methods to the routes', async () => {
    expect(await (await send('POST', '{', 'text/plain')).text()).toBe('route got {');
    expect(await (await send('POST', '{', 'application/jsonx')).text()).toBe('route got {');
    expect(await (await send('DELETE', '{')).text()).toBe('gone');
    const badPost = { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' } };
    const unserved = new Hono<never>();
    unserved.use('*', jsonSyntax(unserved));
    unserved.get('/only-get', (c) => c.text('x'));
    expect((await unserved.request('/only-get', badPost)).status).toBe(404);
    // Without the app to ask, every write is checked.
    const unchecked = new Hono<never>();
    unchecked.use('*', jsonSyntax());
    unchecked.post('/x', (c) => c.text('x'));
    expect((await unchecked.request('/x', badPost)).status).toBe(400);
  });
});
