import { isIP } from 'node:net';
import { carriesOriginSecret, ORIGIN_VERIFY_HEADER } from './origin-verify.ts';

/** The viewer's address and port, added by CloudFront itself (the origin request policy forwards it). */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/** What decides which source of the client's address is believed. */
export interface AddressTrust {
  /** CloudFront's secret origin header: only requests carrying it may name the viewer. */
  originVerifySecret?: string | undefined;
  /** Locally, behind a proxy the operator runs (`npm start -- --trust-proxy`): the last X-Forwarded-For hop. */
  trustProxy?: boolean | undefined;
}

interface PlatformEnv {
  event?: { requestContext?: { identity?: { sourceIp?: string }; http?: { sourceIp?: string } } };
  incoming?: { socket?: { remoteAddress?: string } };
}

interface RequestLike {
  req: { header(name: string): string | undefined };
  env?: unknown;
}

/**
 * The caller's address as the platform saw it, never as the client wrote it: X-Forwarded-For's first
 * entry is whatever the client sent. China's REST API: API Gateway's `identity.sourceIp`. HTTP API
 * and function URL: CloudFront's viewer address on requests that carry the origin secret, else the
 * source address API Gateway saw. Locally: the socket's peer. Only its keyed hash is ever stored.
 */
export function clientAddress(c: RequestLike, trust: AddressTrust): string {
  const env = (c.env ?? {}) as PlatformEnv;
  const context = env.event?.requestContext;
  if (context) {
    if (context.identity?.sourceIp) return context.identity.sourceIp;
    if (
      trust.originVerifySecret &&
      carriesOriginSecret(c.req.header(ORIGIN_VERIFY_HEADER), trust.originVerifySecret)
    ) {
      const viewer = viewerAddress(c.req.header(VIEWER_ADDRESS_HEADER));
      if (viewer) return viewer;
    }
    return context.http?.sourceIp ?? 'unknown';
  }
  if (trust.trustProxy) {
    const hop = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (hop && isIP(hop)) return hop;
  }
  return env.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** `198.51.100.10:46532` or `2001:db8::1:46532` (IPv6 unbracketed, port last) → the address alone. */
export function viewerAddress(header: string | undefined): string | undefined {
  const value = header?.trim() ?? '';
  const cut = value.lastIndexOf(':');
  if (cut <= 0 || !/^\d{1,5}$/.test(value.slice(cut + 1))) return undefined;
  const address = value.slice(0, cut).replace(/^\[(.*)\]$/, '$1');
  return isIP(address) ? address : undefined;
}
