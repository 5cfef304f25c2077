import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Problem } from '../http/problem.ts';
import { problem } from '../http/problem.ts';
import { headersTooLarge } from '../http/request-checks.ts';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The problem for a request Node's HTTP parser refused before the app saw it. */
export function problemForParseError(code: string | undefined, message: string): Problem {
  if (code === 'HPE_HEADER_OVERFLOW') return headersTooLarge();
  if (code === 'HPE_INVALID_URL') {
    return problem(
      400,
      'invalid-url',
      'Invalid URL',
      '网址中含有未编码的字符（如中文），请按 URL 编码后再发送，例如 ?q=%E8%A5%BF%E6%B9%96 表示“西湖”。' +
        'The request line holds characters that must be percent-encoded (such as Chinese): ' +
        'encode the query, e.g. ?q=%E8%A5%BF%E6%B9%96 for 西湖; browsers and curl --data-urlencode do this.',
    );
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return problem(
      408,
      'request-timeout',
      'Request timeout',
      '请求超时。The request was not received in time.',
    );
  }
  return problem(
    400,
    'bad-request',
    'Bad request',
    `请求格式有误。The request is not valid HTTP: ${message}`,
  );
}

/**
 * Answers requests that Node's HTTP parser refuses (headers too large, raw non-ASCII in the URL) with a
 * problem body like every other error, instead of Node's bare status line. Local server only: deployed,
 * CloudFront and API Gateway answer these.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const p = problemForParseError(err.code, err.message);
    const body = JSON.stringify(p);
    socket.end(
      `HTTP/1.1 ${p.status} ${REASONS[p.status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
        body,
    );
  });
}
