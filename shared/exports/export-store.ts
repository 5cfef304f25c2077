import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

import { exportKey } from './export-names.ts';

export { exportKey };

/** Where generated exports are kept (S3 in AWS, the data directory locally). */
export interface ExportStore {
  put(name: string, body: string, contentType: string): Promise<void>;
}

/** S3, read by CloudFront through origin access control (infra/constructs/export-bucket.ts). */
export class S3ExportStore implements ExportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(name: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: exportKey(name),
        Body: body,
        ContentType: contentType,
        CacheControl: 'public, max-age=300, s-maxage=300, stale-if-error=86400',
      }),
    );
  }
}

/** `DATA_DIR/exports/v1/export/<name>`: written whole to a temporary name, then renamed into place. */
export class FileExportStore implements ExportStore {
  constructor(private readonly dir: string) {}

  private path(name: string) {
    return join(this.dir, exportKey(name));
  }

  async put(name: string, body: string): Promise<void> {
    const path = this.path(name);
    await mkdir(join(this.dir, exportKey('')), { recursive: true });
    await writeFile(`${path}.tmp`, body);
    await rename(`${path}.tmp`, path);
  }

  /** The file as a stream, or null before the first export. */
  open(name: string): ReadableStream<Uint8Array> | null {
    const path = this.path(name);
    if (!existsSync(path)) return null;
    return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  }
}
