import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { OpenApiJson } from './base-app.ts';

/**
 * The whole service's OpenAPI document as the bundler embeds it (brotli, then base64: infra/bundling.ts),
 * decoded on first use, with the deployment's own address as its server.
 */
export function embeddedDocument(brotliBase64: string, publicBaseUrl: string): () => OpenApiJson {
  return () => {
    const json = brotliDecompressSync(Buffer.from(brotliBase64, 'base64')).toString('utf8');
    return { ...(JSON.parse(json) as OpenApiJson), servers: [{ url: publicBaseUrl }] };
  };
}

/** The embedded form of a document: what `embeddedDocument` decodes. */
export function embeddable(document: unknown): string {
  // Stryker disable next-line StringLiteral: Buffer.from reads a string as UTF-8 by default
  return brotliCompressSync(Buffer.from(JSON.stringify(document), 'utf8')).toString('base64');
}
