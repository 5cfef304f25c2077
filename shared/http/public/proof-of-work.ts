import { createHash } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Clock } from '../../clock.ts';
import { ValidationError } from '../../domain/errors.ts';
import { purposeKey } from '../../purpose-keys.ts';

/** How long a challenge may be solved and used. */
export const CHALLENGE_TTL_SECONDS = 600;

/** The field (JSON body or form) that carries the solved challenge, as the ALTCHA widget names it. */
export const PROOF_FIELD = 'altcha';

export interface ProofOfWorkOptions {
  secret: string;
  clock: Clock;
  /** Upper bound of the secret number: the expected work is half of it (SHA-256 hashes). */
  maxNumber: number;
}

/** An ALTCHA (v1, SHA-256) challenge, self-hosted: no third party sees the objector. */
export interface Challenge {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

function hmacKey(secret: string): string {
  return purposeKey(secret, 'objection proof of work').toString('hex');
}

/** A new challenge for the objection form or API. */
export async function newChallenge(opts: ProofOfWorkOptions): Promise<Challenge> {
  const expires = new Date(opts.clock.now().getTime() + CHALLENGE_TTL_SECONDS * 1000);
  const c = await createChallenge({
    hmacKey: hmacKey(opts.secret),
    maxNumber: opts.maxNumber,
    expires,
    algorithm: 'SHA-256',
  });
  return { ...c, maxnumber: c.maxnumber ?? opts.maxNumber };
}

const refused = (message: string) =>
  new ValidationError(`${PROOF_FIELD}: ${message}`, [{ path: PROOF_FIELD, message }]);

/**
 * Checks a solved challenge (the base64 JSON payload the widget or a client sends) and answers the key
 * under which it is spent once, with when that key may be forgotten (epoch seconds). Missing, forged,
 * expired → 400 naming `altcha`. Expiry is judged on the service clock, not the host's.
 */
export async function checkProof(
  opts: ProofOfWorkOptions,
  payload: unknown,
): Promise<{ spendKey: string; expiresAt: number }> {
  if (typeof payload !== 'string' || payload.length === 0) {
    throw refused('a solved proof-of-work challenge is required (GET /v1/publicity/challenge)');
  }
  if (payload.length > 2048) throw refused('malformed proof of work');
  let decoded: { algorithm?: unknown; signature?: unknown; salt?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    throw refused('malformed proof of work');
  }
  if (decoded === null || typeof decoded !== 'object' || decoded.algorithm !== 'SHA-256') {
    throw refused('malformed proof of work');
  }
  if (typeof decoded.salt !== 'string' || typeof decoded.signature !== 'string') {
    throw refused('malformed proof of work');
  }
  if (!(await verifySolution(payload, hmacKey(opts.secret), false))) {
    throw refused('the proof of work does not solve a challenge this service issued');
  }
  const expires = Number(extractParams(decoded as never).expires);
  const now = Math.floor(opts.clock.now().getTime() / 1000);
  if (!Number.isInteger(expires) || expires < now) {
    throw refused('the challenge has expired; fetch a new one');
  }
  return {
    spendKey: `pow#${createHash('sha256').update(decoded.signature).digest('hex').slice(0, 32)}`,
    expiresAt: expires + 60,
  };
}
