import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import { createApp } from '#shared/http/app.ts';
import { MAX_IMPORT_BODY_BYTES, MAX_JSON_BODY_BYTES } from '#shared/http/body-limit.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { MAX_TYPES_LISTED } from '#shared/schemas/feeds.ts';
import { mockClientForFile } from '../support/aws-mock.ts';
import { testConfig } from '../support/config.ts';
import { body } from '../support/http.ts';

/** A body of `size` bytes sent without Content-Length, counting how much the server pulled. */
function countingStream(size: number, chunk = 16 * 1024) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(chunk, size - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x61));
    },
  });
  return { stream, sent: () => sent };
}

describe('request caps', () => {
  const ddb = mockClientForFile(DynamoDBDocumentClient);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
  const app = () => createApp(buildAdminDeps(testConfig(), db, new RecordingNotifier()));

  beforeEach(() => {
    ddb.reset();
    ddb.onAnyCommand().resolves({});
  });

  it('refuses a body over the limit by its Content-Length, with a 413 problem', async () => {
    const res = await app().request('/v1/admin/institutions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_JSON_BODY_BYTES + 1) },
      body: 'x'.repeat(MAX_JSON_BODY_BYTES + 1),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await body(res)).toMatchObject({
      status: 413,
      type: expect.stringContaining('payload-too-large'),
    });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('stops reading a streamed body as soon as it passes the limit', async () => {
    const { stream, sent } = countingStream(16 * 1024 * 1024);
    const res = await app().request('/v1/changes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent()).toBeLessThan(MAX_JSON_BODY_BYTES + 64 * 1024);
  });

  it('lets an import route take a body above the JSON limit but not above its own', async () => {
    const size = MAX_JSON_BODY_BYTES * 2;
    const res = await app().request('/v1/admin/imports', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': String(size) },
      body: 'x'.repeat(size),
    });
    expect(res.status).not.toBe(413);
    const over = await app().request('/v1/admin/imports', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': String(MAX_IMPORT_BODY_BYTES + 1) },
      body: 'x',
    });
    expect(over.status).toBe(413);
  });

  it('refuses an oversized q before normalising it or reading the table', async () => {
    const res = await app().request(`/v1/institutions?q=${encodeURIComponent('悦'.repeat(257))}`);
    expect(res.status).toBe(400);
    expect((await body(res)).errors[0].path).toBe('q');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a page size over 50 and under 1 without reading the table', async () => {
    for (const path of ['/v1/institutions?limit=51', '/v1/changes?limit=0', '/v1/publicity?limit=1000000']) {
      const res = await app().request(path);
      expect(res.status, path).toBe(400);
      expect((await body(res)).errors[0].path).toBe('limit');
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a type list with more entries than twice the event types', async () => {
    const res = await app().request(
      `/v1/changes?type=${Array(MAX_TYPES_LISTED + 1)
        .fill('published')
        .join(',')}`,
    );
    expect(res.status).toBe(400);
    expect((await body(res)).errors[0].path).toBe('type');
    expect(ddb.calls()).toHaveLength(0);
    const ok = await app().request(`/v1/changes?type=${Array(3).fill('published').join(',')}`);
    expect(ok.status).not.toBe(400);
  });
});
