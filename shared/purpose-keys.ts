import { createHmac } from 'node:crypto';

/**
 * A key for one purpose, derived from the service secret with a label (HMAC(secret, label)): a value
 * made for one purpose (a cursor, a proof-of-work challenge, a client hash) never verifies for another.
 */
export function purposeKey(secret: string, label: string): Buffer {
  return createHmac('sha256', secret).update(`yimei-credit: ${label}`).digest();
}

/**
 * A client address as kept in the quota counters: a keyed hash (HMAC-SHA256 under a purpose key), so
 * the stored counters cannot be reversed by hashing the IPv4 space without the secret.
 */
export function clientKey(secret: string, address: string): string {
  return createHmac('sha256', purposeKey(secret, 'objection client'))
    .update(address.trim().toLowerCase())
    .digest('hex')
    .slice(0, 32);
}
