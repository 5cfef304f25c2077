import { createHash, createHmac } from 'node:crypto';
import { UnavailableError } from '../domain/errors.ts';
import { exportKey } from './export-names.ts';

/** Credentials as the AWS SDK clients resolve them (the function's role in Lambda). */
export type CredentialsProvider = () => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}>;

/** How long a download link stays valid: long enough to follow, short enough not to be shared on. */
export const LINK_SECONDS = 300;

/** How long the HEAD may take: S3 answers in milliseconds, and the function's own timeout is seconds. */
const HEAD_TIMEOUT_MS = 2000;
/** Tries of the HEAD before S3 is reported unavailable: one retry rides out a dropped connection. */
const HEAD_TRIES = 2;

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

/** URI encoding as SigV4 canonicalises it (encodeURIComponent leaves !'()* alone). */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The S3 host of a bucket: China regions answer under amazonaws.com.cn. */
export function s3Host(bucket: string, region: string): string {
  return `${bucket}.s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export interface ExportLinkOptions {
  bucket: string;
  region: string;
  credentials: CredentialsProvider;
  /** The bucket's host when not the regional default (another endpoint, the documentation's examples). */
  host?: string;
  /** Fetch, for the one HEAD that tells whether the job has written the file yet. */
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * Presigned S3 links to the generated exports, for a front door without a CDN path to the bucket (the
 * China profile's regional API): the function answers 302 and the file comes from S3, so no response
 * body passes through the function, whatever the size of the register.
 */
export class PresignedExportLinks {
  private readonly fetch: typeof fetch;
  /** Once the job has written a file it is only ever replaced, so a HEAD that found it is not repeated. */
  private readonly present = new Set<string>();

  constructor(private readonly opts: ExportLinkOptions) {
    this.fetch = opts.fetch ?? fetch;
  }

  /**
   * A URL for `method` on the object under `key`, valid for `expiresIn` seconds: Signature Version 4
   * query-string authentication, the host the only signed header and the payload unsigned (S3's rule
   * for presigned requests). Written out here rather than taken from the SDK's signer, which the
   * runtime does not provide, to keep it out of the public bundle.
   */
  async presign(
    method: 'GET' | 'HEAD',
    key: string,
    expiresIn: number,
    query: Record<string, string> = {},
  ): Promise<string> {
    const { region } = this.opts;
    const credentials = await this.opts.credentials();
    const host = this.opts.host ?? s3Host(this.opts.bucket, region);
    const path = `/${key.split('/').map(rfc3986).join('/')}`;
    const amzDate = (this.opts.now?.() ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, '');
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${region}/s3/aws4_request`;
    const params: Record<string, string> = {
      ...query,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': String(expiresIn),
      'X-Amz-SignedHeaders': 'host',
      ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    };
    const canonicalQuery = Object.entries(params)
      .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalRequest = [
      method,
      path,
      canonicalQuery,
      `host:${host}`,
      '',
      'host',
      'UNSIGNED-PAYLOAD',
    ].join('\n');
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    let signingKey = hmac(`AWS4${credentials.secretAccessKey}`, day);
    for (const part of [region, 's3', 'aws4_request']) signingKey = hmac(signingKey, part);
    const signature = hmac(signingKey, stringToSign).toString('hex');
    return `https://${host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
  }

  /**
   * A download link for the export `name`, with the file name the browser should save it under, or
   * null when the job has not written it yet (the caller then streams it itself). S3 not answering
   * (a network error, a timeout or a 5xx, twice) is an UnavailableError: a 503 to retry, never a
   * 500, and not a fallback to streaming a file that may be past the function's answer size.
   */
  async download(name: string, filename: string): Promise<string | null> {
    const key = exportKey(name);
    if (!this.present.has(key)) {
      if (!(await this.exists(key))) return null;
      this.present.add(key);
    }
    return this.presign('GET', key, LINK_SECONDS, { 'response-content-disposition': filename });
  }

  private async exists(key: string): Promise<boolean> {
    let failure = '';
    for (let attempt = 1; attempt <= HEAD_TRIES; attempt++) {
      try {
        const head = await this.fetch(await this.presign('HEAD', key, 60), {
          method: 'HEAD',
          signal: AbortSignal.timeout(HEAD_TIMEOUT_MS),
        });
        if (head.status < 500) return head.ok;
        failure = `S3 answered ${head.status}`;
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      }
    }
    throw new UnavailableError('the export file store did not answer; try again in a minute', 60, failure);
  }
}
