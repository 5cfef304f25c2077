import type { Hono, MiddlewareHandler } from 'hono';
import { allowedMethods } from './conventions.ts';
import { problem, sendProblem } from './problem.ts';

/**
 * Checks made before any route runs, each answering a problem body: request headers too large (431),
 * and a JSON body that does not parse (400 saying what is wrong and where, in Chinese and English).
 */

/** Largest header section accepted, in bytes (names, values and line framing); Node's own limit is 16 KB. */
export const MAX_HEADER_BYTES = 16 * 1024;

export function headerSize(headers: Headers): number {
  let size = 0;
  headers.forEach((value, name) => {
    size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  });
  return size;
}

export const headersTooLarge = (size?: number) =>
  problem(
    431,
    'header-fields-too-large',
    'Request header fields too large',
    `请求头过大（上限 ${MAX_HEADER_BYTES} 字节）。The request headers${size ? ` (${size} bytes)` : ''} exceed ${MAX_HEADER_BYTES} bytes; send fewer or shorter headers (cookies, tokens).`,
  );

export function headerLimit(): MiddlewareHandler {
  return async (c, next) => {
    const size = headerSize(c.req.raw.headers);
    if (size > MAX_HEADER_BYTES) return sendProblem(c, headersTooLarge(size));
    await next();
  };
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  // Stryker disable next-line StringLiteral: split always gives at least one line
  return { line: lines.length, column: Array.from(lines.at(-1) ?? '').length + 1 };
}

/** What a JSON.parse failure means, and where, in plain Chinese and English. */
export function describeJsonError(
  text: string,
  err: SyntaxError,
): { zh: string; en: string; offset?: number } {
  const message = err.message;
  const at = /at position (\d+)/.exec(message);
  const offset =
    at?.[1] !== undefined
      ? Number(at[1])
      : /Unexpected end of JSON input/.test(message)
        ? text.length
        : undefined;
  if (text.trim() === '')
    return { zh: '请求体为空，应为 JSON', en: 'the request body is empty; JSON was expected' };
  let what = { zh: '此处的字符不符合 JSON 语法', en: 'a character here is not valid JSON' };
  if (/Unexpected end/.test(message))
    what = {
      zh: 'JSON 不完整（提前结束，可能缺少 } 或 ]）',
      en: 'the JSON ends too early (a } or ] may be missing)',
    };
  else if (/double-quoted property name|property name or '}'/.test(message))
    what = {
      zh: '属性名必须用双引号括起来，且最后一项后面不能有逗号',
      en: 'property names need double quotes, and no comma may follow the last one',
    };
  else if (/Expected ':'/.test(message))
    what = { zh: '属性名后缺少冒号', en: "a ':' is missing after a property name" };
  else if (/Expected ',' or '[}\]]'/.test(message))
    what = { zh: '缺少逗号或右括号', en: "a ',' or closing bracket is missing" };
  else if (/non-whitespace character after JSON/.test(message))
    what = { zh: 'JSON 结束后还有多余内容', en: 'there is more text after the JSON value' };
  else if (/Bad control character/.test(message))
    what = {
      zh: '字符串中有未转义的控制字符（如换行）',
      en: 'a string holds an unescaped control character (such as a line break)',
    };
  else if (/Bad escaped character|Bad Unicode escape/.test(message))
    what = { zh: '字符串中的转义序列无效', en: 'a string holds an invalid escape sequence' };
  else if (/Unexpected token/.test(message)) {
    // Stryker disable next-line Regex: V8 quotes a single UTF-16 unit as the unexpected token (half an emoji too)
    const token = /Unexpected token '(.+?)'/.exec(message)?.[1];
    what = {
      zh: `出现了意外的内容${token ? `“${token}”` : ''}（字符串须用双引号，true/false/null 须小写拼全）`,
      en: `unexpected ${token ? `'${token}'` : 'text'} (strings need double quotes; true, false and null must be spelt in full)`,
    };
  }
  if (offset === undefined) return what;
  const { line, column } = lineAndColumn(text, offset);
  return {
    zh: `${what.zh}：第 ${line} 行第 ${column} 列`,
    en: `${what.en}: at line ${line}, column ${column}`,
    offset,
  };
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A JSON body that does not parse is refused here with what is wrong and where, instead of the
 * validator's bare "Malformed JSON in request body".
 */
export function jsonSyntax(app?: Hono<never>): MiddlewareHandler {
  return async (c, next) => {
    // Stryker disable next-line StringLiteral: without a content type, neither string is a JSON type
    if (!WRITES.has(c.req.method) || !JSON_TYPE.test(c.req.header('Content-Type') ?? '')) return next();
    // A method the path does not serve is answered 405 (or 404), whatever its body.
    if (app && !allowedMethods(app, c.req.path).includes(c.req.method)) return next();
    const bytes = await c.req.arrayBuffer();
    // Later readers (a route's own body limit, its validator) get the same bytes afresh.
    c.req.raw = new Request(c.req.raw, { body: bytes });
    const text = new TextDecoder().decode(bytes);
    try {
      JSON.parse(text);
    } catch (err) {
      // Stryker disable next-line ConditionalExpression: JSON.parse of a string throws nothing but SyntaxError
      if (!(err instanceof SyntaxError)) throw err;
      const { zh, en, offset } = describeJsonError(text, err);
      return sendProblem(
        c,
        problem(
          400,
          'malformed-json',
          'Malformed JSON',
          `请求体不是有效的 JSON：${zh}。The request body is not valid JSON: ${en}.`,
          {
            errors: [{ path: 'body', message: en }],
            // Stryker disable next-line ConditionalExpression: an undefined offset is left out of the JSON body either way
            ...(offset !== undefined ? { offset } : {}),
          },
        ),
      );
    }
    return next();
  };
}
