import { createRoute, z } from '@hono/zod-openapi';
import { DomainError, ValidationError } from '../../domain/errors.ts';
import { clientKey } from '../../purpose-keys.ts';
import { ObjectionRequestSchema } from '../../schemas/admin.ts';
import { problemResponse } from '../../schemas/common.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import { lodgeObjection } from '../../services/objections.ts';
import { MAX_OBJECTION_BODY_BYTES, routeBodyLimit } from '../body-limit.ts';
import { clientAddress } from '../client-address.ts';
import type { PublicDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { render } from '../pages/layout.tsx';
import { ObjectionReceiptPage, ObjectionRefusedPage } from '../pages/objection-pages.tsx';
import { sendPage } from '../pages/routes.tsx';
import { siteOf } from '../pages/site.ts';
import { fieldProblems, problemFor } from '../problem.ts';
import { checkProof, PROOF_FIELD } from '../public/proof-of-work.ts';

/** A result id as the path carries it; a longer one names no result (and is no key DynamoDB takes). */
const ResultIdParam = z
  .string()
  .min(1)
  .max(80)
  .openapi({ param: { name: 'resultId', in: 'path' } });

const objectionRoute = createRoute({
  method: 'post',
  path: '/{resultId}/objections',
  tags: ['public'],
  summary: 'Object to a result in publicity (异议); anyone, no account',
  description:
    'Accepted only while the result is in publicity (409 otherwise). Needs a solved proof-of-work challenge ' +
    '(`altcha`, from GET /v1/publicity/challenge; each is good for one objection). Bodies up to 8 KiB (413 above). ' +
    'At most 3 objections per client address per result per day and 50 open objections per result (429 with ' +
    '`Retry-After`); the same text twice is 409. A refused objection is never stored. Form posts from another ' +
    'origin are refused (403).',
  request: {
    params: z.object({ resultId: ResultIdParam }),
    body: { content: { 'application/json': { schema: ObjectionRequestSchema } }, required: true },
  },
  responses: {
    200: {
      description:
        'A form post (`application/x-www-form-urlencoded`, fields `text` and `altcha`, from the institution page): the confirmation page',
      content: { 'text/html': { schema: z.string() } },
    },
    201: {
      description: 'Lodged',
      content: {
        'application/json': {
          schema: z.object({
            id: z.string(),
            reference: z.string().openapi({
              description:
                'The short public reference (8 characters, Crockford base 32): GET /v1/objections/{reference} gives the status',
              example: '7KQ2M9XD',
            }),
            resultId: z.string(),
            status: z.literal('open'),
            lodgedAt: z.string(),
            statusUrl: z.string(),
          }),
        },
      },
    },
    400: problemResponse('Invalid text, or a missing, forged, expired or used proof of work (`altcha`)'),
    403: problemResponse('A form post from another origin'),
    404: problemResponse('Unknown result'),
    409: problemResponse('Not in publicity, or the same text already lodged'),
    413: problemResponse('Body over 8 KiB'),
    429: problemResponse('Too many objections from this address, or the result is at its cap'),
  },
});

/** Checks and spends the proof of work, then lodges under the keyed hash of the client's address. */
async function lodge(
  deps: WorkflowDeps & PublicDeps,
  c: { req: { header(name: string): string | undefined }; env?: unknown },
  resultId: string,
  text: string,
  proof: unknown,
) {
  const { spendKey, expiresAt } = await checkProof(
    { secret: deps.cursorSecret, clock: deps.clock, maxNumber: deps.powMaxNumber },
    proof,
  );
  if (!(await deps.workflow.takeQuota(spendKey, 1, expiresAt))) {
    throw new ValidationError(`${PROOF_FIELD}: this challenge was already used; fetch a new one`, [
      { path: PROOF_FIELD, message: 'this challenge was already used; fetch a new one' },
    ]);
  }
  return lodgeObjection(deps, resultId, text, clientKey(deps.cursorSecret, clientAddress(c, deps)));
}

/** Public writes: objections during publicity. Mounted at /v1/publicity. */
export function objectionRoutes(deps: WorkflowDeps & PublicDeps) {
  const app = openApiRouter();
  app.use('*', routeBodyLimit(MAX_OBJECTION_BODY_BYTES));
  // The institution page's form posts here too: it gets a page, whatever the outcome.
  app.use('/:resultId/objections', async (c, next) => {
    if (
      c.req.method !== 'POST' ||
      // Stryker disable next-line StringLiteral: without a content type neither string holds the form's type
      !(c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')
    ) {
      return next();
    }
    c.header('Cache-Control', 'no-store');
    const form = await c.req.parseBody();
    // Stryker disable next-line ConditionalExpression: a form's fields are strings or absent, and an absent text renders and fails the schema as '' does
    const typed = typeof form.text === 'string' ? form.text : '';
    const resultId = c.req.param('resultId');
    const validId = ResultIdParam.safeParse(resultId);
    try {
      if (!validId.success) {
        // Stryker disable next-line StringLiteral: the refusal page shows the detail, not the field list
        throw new ValidationError('invalid path: resultId', fieldProblems('resultId', validId.error.issues));
      }
      const parsed = ObjectionRequestSchema.safeParse({
        text: typed,
        // Stryker disable next-line ConditionalExpression,StringLiteral: an absent or any other non-proof altcha is the same missing proof
        altcha: typeof form.altcha === 'string' ? form.altcha : '',
      });
      if (!parsed.success) {
        // Stryker disable next-line StringLiteral: the target names only an issue without a path, and an object schema's issues all have one
        throw new ValidationError('invalid objection', fieldProblems('form', parsed.error.issues));
      }
      const o = await lodge(deps, c, resultId, parsed.data.text, parsed.data.altcha);
      const receipt = o.reference ? await deps.receipts.get(o.reference) : null;
      const profile = receipt ? await deps.reader.getProfile(receipt.uscc) : null;
      return sendPage(
        c,
        ObjectionReceiptPage({
          // Stryker disable next-line StringLiteral: every objection lodged now has a reference; only old stored ones lack it
          reference: o.reference ?? '',
          lodgedOn: o.lodgedAt.slice(0, 10),
          // Stryker disable next-line OptionalChaining,StringLiteral: a result in publicity belongs to a registered institution
          name: profile?.name ?? '',
        }),
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const refusal = problemFor(err);
      const noProof = err instanceof ValidationError && err.errors.some((e) => e.path === PROOF_FIELD);
      // The path is not validated by the router on this form route: an id that cannot be a key is not looked up.
      const result = validId.success ? await deps.results.get(resultId) : null;
      const page = ObjectionRefusedPage({
        text: typed,
        objectionUrl: new URL(c.req.url).pathname,
        backHref: result ? `/i/${result.uscc}` : null,
        message: noProof
          ? '为防止恶意刷量，提交异议前需要浏览器在本机完成一次防刷验证（工作量证明，不向第三方发送任何信息），这需要启用 JavaScript。请启用 JavaScript 后在下面重新提交；也可以通过接口提交（见 /docs）。'
          : refusal.status === 409
            ? '该结果已不在公示期内，或同样内容的异议已经提交过。'
            : `提交未成功：${refusal.detail}`,
      });
      // The page's Content-Security-Policy is set by securityHeaders, as on every HTML answer.
      const headers: Record<string, string> = {};
      if (typeof refusal.retryAfter === 'number') headers['Retry-After'] = String(refusal.retryAfter);
      return c.html(render(page, siteOf(c)), refusal.status as 400 | 404 | 409 | 429, headers);
    }
  });
  app.openapi(objectionRoute, async (c) => {
    const body = c.req.valid('json');
    const o = await lodge(deps, c, c.req.valid('param').resultId, body.text, body.altcha);
    c.header('Cache-Control', 'no-store');
    // Stryker disable next-line StringLiteral: every objection lodged now has a reference; only old stored ones lack it
    const reference = o.reference ?? '';
    const statusUrl = new URL(`/objections/${reference}`, deps.publicBaseUrl).toString();
    return c.json(
      { id: o.id, reference, resultId: o.resultId, status: 'open' as const, lodgedAt: o.lodgedAt, statusUrl },
      201,
    );
  });
  return app;
}
