import { describe, expect, it } from 'vitest';
import { UnavailableError } from '#shared/domain/errors.ts';
import { PresignedExportLinks, s3Host } from '#shared/exports/export-links.ts';
import { problemFor } from '#shared/http/problem.ts';

const credentials = async () => ({
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
});

describe('presigned export links', () => {
  it('signs exactly as the S3 documentation’s query-string authentication example', async () => {
    const links = new PresignedExportLinks({
      bucket: 'examplebucket',
      region: 'us-east-1',
      host: 'examplebucket.s3.amazonaws.com',
      credentials,
      now: () => new Date('2013-05-24T00:00:00Z'),
    });
    expect(await links.presign('GET', 'test.txt', 86400)).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('uses the China partition’s S3 host in China regions', () => {
    expect(s3Host('b', 'cn-northwest-1')).toBe('b.s3.cn-northwest-1.amazonaws.com.cn');
    expect(s3Host('b', 'ap-east-1')).toBe('b.s3.ap-east-1.amazonaws.com');
  });

  it('gives no link while the file is missing, so the route serves it itself', async () => {
    const links = new PresignedExportLinks({
      bucket: 'b',
      region: 'cn-north-1',
      credentials,
      fetch: async () => new Response(null, { status: 404 }),
    });
    expect(await links.download('grades.csv', 'attachment')).toBeNull();
  });
});

describe('presigned export links when S3 does not answer', () => {
  const failing = (answers: Array<Response | Error>) => {
    const calls: string[] = [];
    const links = new PresignedExportLinks({
      bucket: 'b',
      region: 'cn-north-1',
      credentials,
      fetch: async (input) => {
        calls.push(String(input));
        const next = answers.shift() ?? new Error('no answer left');
        if (next instanceof Error) throw next;
        return next;
      },
    });
    return { links, calls };
  };

  it('tries the HEAD once more after a network error, and links when it then answers', async () => {
    const { links, calls } = failing([new TypeError('fetch failed'), new Response(null, { status: 200 })]);
    expect(await links.download('grades.csv', 'attachment')).toMatch(/^https:\/\/b\.s3\.cn-north-1\./);
    expect(calls).toHaveLength(2);
  });

  it('reports S3 unavailable (a 503 with a retry time), not a missing file, after two failures', async () => {
    const { links, calls } = failing([new TypeError('fetch failed'), new Response(null, { status: 503 })]);
    const err = await links.download('grades.csv', 'attachment').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(problemFor(err)).toMatchObject({ status: 503, retryAfter: 60 });
    expect((err as UnavailableError).cause).toBe('S3 answered 503');
    expect(calls).toHaveLength(2);
  });

  it('still treats a refusal (403, 404) as a file not written yet', async () => {
    const { links, calls } = failing([new Response(null, { status: 403 })]);
    expect(await links.download('grades.csv', 'attachment')).toBeNull();
    expect(calls).toHaveLength(1);
  });
});
