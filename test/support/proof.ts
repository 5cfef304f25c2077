import { solveChallenge } from 'altcha-lib/v1';

interface Requester {
  request(path: string, init?: RequestInit, env?: object): Response | Promise<Response>;
}

/** The local server's env for a client connected from `address`: node-server's socket, as Hono sees it. */
export const fromSocket = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** Fetches a challenge from the app and solves it as the objection form's script does. */
export async function solvedProof(app: Requester): Promise<string> {
  const res = await app.request('/v1/publicity/challenge');
  if (res.status !== 200) throw new Error(`challenge: ${res.status}`);
  const c = (await res.json()) as {
    algorithm: string;
    challenge: string;
    maxnumber: number;
    salt: string;
    signature: string;
  };
  const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!solution) throw new Error('challenge not solved');
  return Buffer.from(
    JSON.stringify({
      algorithm: c.algorithm,
      challenge: c.challenge,
      number: solution.number,
      salt: c.salt,
      signature: c.signature,
    }),
  ).toString('base64');
}

const OBJECTION_PATH = /^\/v1\/publicity\/[^/]+\/objections$/;

/**
 * An objection body as an honest client sends it: with a freshly solved proof of work, unless the
 * test sets `altcha` itself (to check the refusals).
 */
export async function withProof(app: Requester, method: string, path: string, body: unknown) {
  if (
    method !== 'POST' ||
    !OBJECTION_PATH.test(path) ||
    body === null ||
    typeof body !== 'object' ||
    Array.isArray(body) ||
    'altcha' in body
  ) {
    return body;
  }
  return { ...body, altcha: await solvedProof(app) };
}

/**
 * Lodges an objection as a client at `address` would, with a solved proof of work: by default over a
 * local socket from `address`; `env` stands for another platform's request (a Lambda event).
 */
export async function objectFrom(
  app: Requester,
  id: string,
  address: string,
  text: string,
  opts: { headers?: Record<string, string>; env?: object } = {},
): Promise<Response> {
  return app.request(
    `/v1/publicity/${id}/objections`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...opts.headers },
      body: JSON.stringify({ text, altcha: await solvedProof(app) }),
    },
    opts.env ?? fromSocket(address),
  );
}
