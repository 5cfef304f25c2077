import { createRoute, z } from '@hono/zod-openapi';
import type { PublicDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { OBJECTION_FORM_SCRIPT } from './objection-form-script.ts';
import { CHALLENGE_TTL_SECONDS, newChallenge } from './proof-of-work.ts';
import { SHARE_SCRIPT } from './share-script.ts';

/** Where the objection form and API clients get a challenge. */
export const CHALLENGE_PATH = '/v1/publicity/challenge';
/** The objection form's script (see objection-form-script.ts). */
export const OBJECTION_SCRIPT_PATH = '/assets/objection-form.js';
/** The institution page's copy-link button (see share-script.ts). */
export const SHARE_SCRIPT_PATH = '/assets/share.js';

const challengeRoute = createRoute({
  method: 'get',
  path: '/publicity/challenge',
  tags: ['public'],
  summary: 'A proof-of-work challenge to solve before objecting (ALTCHA v1, self-hosted)',
  description:
    'Find `number` in 0…`maxnumber` with `hex(SHA-256(salt + number)) === challenge`, then send ' +
    '`base64(JSON {algorithm, challenge, number, salt, signature})` as the `altcha` field of the objection. ' +
    `A challenge is valid for ${CHALLENGE_TTL_SECONDS / 60} minutes and for one objection.`,
  responses: {
    200: {
      description: 'A challenge',
      content: {
        'application/json': {
          schema: z.object({
            algorithm: z.literal('SHA-256'),
            challenge: z.string(),
            maxnumber: z.number().int(),
            salt: z.string(),
            signature: z.string(),
          }),
        },
      },
    },
  },
});

/** GET /publicity/challenge and the form's script (mounted under /v1 and /). */
export function challengeRoutes(deps: PublicDeps) {
  const app = openApiRouter();
  app.openapi(challengeRoute, async (c) => {
    const challenge = await newChallenge({
      secret: deps.cursorSecret,
      clock: deps.clock,
      maxNumber: deps.powMaxNumber,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ ...challenge, algorithm: 'SHA-256' as const }, 200);
  });
  return app;
}

export function scriptRoutes() {
  const app = openApiRouter();
  const scripts: Array<[string, string]> = [
    [OBJECTION_SCRIPT_PATH, OBJECTION_FORM_SCRIPT],
    [SHARE_SCRIPT_PATH, SHARE_SCRIPT],
  ];
  for (const [path, script] of scripts) {
    app.get(path, (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    });
  }
  return app;
}
