import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../domain/errors.ts';
import { formatReference, parseReference, REFERENCE_LENGTH } from '../../domain/objection-reference.ts';
import type { LocalDate } from '../../domain/types.ts';
import { clientKey } from '../../purpose-keys.ts';
import { problemResponse } from '../../schemas/common.ts';
import type { ObjectionReceipt } from '../../store/objection-receipts.ts';
import { clientAddress } from '../client-address.ts';
import type { PublicDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { MissLimiter } from './miss-limiter.ts';

/** Unknown references one client may look up per window before it is refused (429). */
export const LOOKUP_MISSES_PER_WINDOW = 20;
export const LOOKUP_WINDOW_SECONDS = 600;

export const OBJECTION_STATUSES = ['received', 'under_review', 'upheld', 'dismissed'] as const;

export const ObjectionStatusSchema = z
  .object({
    reference: z.string().openapi({ example: '7KQ2-M9XD' }),
    status: z.enum(OBJECTION_STATUSES).openapi({
      description:
        '`received` while the publicity runs; `under_review` once it has ended and the regulator has not yet decided; `upheld` (the result is withdrawn) or `dismissed`',
    }),
    receivedOn: z.string(),
    publicityEndOn: z.string(),
    decidedOn: z.string().nullable(),
    reason: z
      .string()
      .nullable()
      .openapi({ description: "The regulator's published reason for its decision" }),
    institution: z.object({ uscc: z.string(), name: z.string() }),
    pageUrl: z.string(),
  })
  .openapi('ObjectionStatus', {
    description: 'What anyone holding the reference may know of an objection: never the objector or the text',
  });

export type ObjectionStatus = z.infer<typeof ObjectionStatusSchema>;

const statusRoute = createRoute({
  method: 'get',
  path: '/objections/{reference}',
  tags: ['public'],
  summary: 'The status of one objection, by the short reference its receipt carries',
  description:
    `A reference is ${REFERENCE_LENGTH} characters of Crockford base 32 (no I, L, O or U), printed as two groups of ` +
    'four; case, spaces and the hyphen do not matter. The answer never carries the objector or the text. ' +
    `More than ${LOOKUP_MISSES_PER_WINDOW} unknown references from one client within ${LOOKUP_WINDOW_SECONDS / 60} ` +
    'minutes are refused with 429 and `Retry-After`.',
  request: {
    params: z.object({
      reference: z
        .string()
        .max(32)
        .openapi({ param: { name: 'reference', in: 'path' }, example: '7KQ2-M9XD' }),
    }),
  },
  responses: {
    200: { description: 'The status', content: { 'application/json': { schema: ObjectionStatusSchema } } },
    304: { description: 'Not modified (If-None-Match)' },
    400: problemResponse('Not a reference'),
    404: problemResponse('No objection has this reference'),
    429: problemResponse('Too many unknown references from this client'),
  },
});

/** The public status of a receipt on `today`. */
export function statusOf(r: ObjectionReceipt, today: LocalDate): ObjectionStatus['status'] {
  if (r.status !== 'open') return r.status;
  return today > r.publicityEndOn ? 'under_review' : 'received';
}

/**
 * Looks an objection up by reference for the route and the status page alike: malformed → 400,
 * unknown → 404 (counted against the client), too many unknown → 429 before any read.
 */
export function objectionLookup(deps: PublicDeps) {
  const misses = new MissLimiter(LOOKUP_MISSES_PER_WINDOW, LOOKUP_WINDOW_SECONDS, () => deps.clock.now());
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  return async (c: Context, typed: string): Promise<ObjectionStatus> => {
    const client = clientKey(deps.cursorSecret, clientAddress(c, deps));
    const wait = misses.retryAfter(client);
    if (wait > 0) {
      throw new TooManyRequestsError(
        `more than ${LOOKUP_MISSES_PER_WINDOW} unknown references from this client; try again later`,
        wait,
        'objection_lookup_misses',
      );
    }
    const reference = parseReference(typed);
    if (!reference) {
      misses.miss(client);
      const message = `expected ${REFERENCE_LENGTH} letters and digits, e.g. 7KQ2-M9XD (异议编号为${REFERENCE_LENGTH}位字母和数字)`;
      throw new ValidationError(`reference: ${message}`, [{ path: 'reference', message }]);
    }
    const receipt = await deps.receipts.get(reference);
    if (!receipt) {
      misses.miss(client);
      throw new NotFoundError(`no objection has the reference ${formatReference(reference)}`);
    }
    const profile = await deps.reader.getProfile(receipt.uscc);
    return {
      reference: formatReference(receipt.reference),
      status: statusOf(receipt, deps.clock.today()),
      receivedOn: receipt.receivedOn,
      publicityEndOn: receipt.publicityEndOn,
      decidedOn: receipt.decidedOn,
      reason: receipt.reason,
      institution: { uscc: receipt.uscc, name: profile?.name ?? receipt.uscc },
      pageUrl: `${base}/objections/${receipt.reference}`,
    };
  };
}

/** GET /objections/{reference} (mounted under /v1). */
export function objectionStatusRoutes(lookup: ReturnType<typeof objectionLookup>) {
  const app = openApiRouter();
  app.openapi(statusRoute, async (c) => {
    const status = await lookup(c, c.req.valid('param').reference);
    c.header('Cache-Control', 'public, max-age=60, s-maxage=60');
    return c.json(status, 200);
  });
  return app;
}
