import { z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import {
  AssessmentDetailSchema,
  AssessmentSchema,
  PublicityRequestSchema,
  PublicityWindowSchema,
  ScoredSchema,
  ScoreSchema,
} from '../../schemas/admin.ts';
import {
  approveAssessment,
  getAssessment,
  publiciseAssessment,
  publishAssessment,
  recheckAssessment,
  scoreAssessment,
  scoringId,
  withdrawAssessment,
} from '../../services/assessments.ts';
import type { WorkflowDeps } from '../../services/context.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, actorIn, adminRoute, body, IdParam, json } from './routes-common.ts';

/** Scoring and the life of a result up to publication. Mounted at /v1/admin by adminRoutes. */
export function assessmentRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/assessments',
      summary: 'Score an institution (city: hospitals and outpatient departments; district: its clinics)',
      description:
        'Send an `Idempotency-Key` header to make a retry safe: the same caller and key create the result once; a repeat answers 409.',
      request: {
        ...body(ScoreSchema),
        headers: z.object({ 'idempotency-key': z.string().trim().min(8).max(100).optional() }),
      },
      responses: { 201: json(ScoredSchema, 'Scored'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const who = actorIn(c);
      const key = c.req.valid('header')['idempotency-key'];
      const r = await scoreAssessment(
        deps,
        who,
        c.req.valid('json'),
        key ? { id: scoringId(who.subject, key) } : {},
      );
      return c.json({ id: r.id, grade: r.grade, status: r.status }, 201);
    },
  );
  app.openapi(
    adminRoute({
      method: 'get',
      path: '/assessments/{id}',
      summary: 'An assessment with its objections',
      request: { params: IdParam },
      responses: { 200: json(AssessmentDetailSchema, 'The assessment'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const out = await getAssessment(deps, actorIn(c), c.req.valid('param').id);
      return c.json({ result: { ...out.result }, objections: out.objections.map((o) => ({ ...o })) }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/assessments/{id}/approve',
      summary: 'District approval of a clinic’s result (审定; district_admin of that district)',
      request: { params: IdParam },
      responses: { 200: json(AssessmentSchema, 'Approved'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await approveAssessment(deps, actorIn(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/assessments/{id}/recheck',
      summary: 'City re-check of a clinic’s approved result (复核; city)',
      request: { params: IdParam },
      responses: { 200: json(AssessmentSchema, 'Re-checked'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await recheckAssessment(deps, actorIn(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/assessments/{id}/withdraw',
      summary: 'Withdraw a result before publication (city)',
      request: { params: IdParam },
      responses: { 200: json(AssessmentSchema, 'Withdrawn'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await withdrawAssessment(deps, actorIn(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/assessments/{id}/publicity',
      summary: 'Start publicity (公示; city): 5 working days of the official calendar',
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: PublicityRequestSchema } }, required: false },
      },
      responses: { 200: json(PublicityWindowSchema, 'In publicity'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const input = c.req.valid('json') as { startOn?: string } | undefined;
      // Stryker disable next-line OptionalChaining: the validator gives an absent optional body as `{}` (a request without one is answered 200 in the lifecycle tests)
      const r = await publiciseAssessment(deps, actorIn(c), c.req.valid('param').id, input?.startOn);
      const window = r.publicity as { startOn: string; endOn: string };
      return c.json({ id: r.id, status: r.status, startOn: window.startOn, endOn: window.endOn }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: 'post',
      path: '/assessments/{id}/publish',
      summary: 'Confirm and publish (guidance): only after publicity has ended and with no open objection',
      request: { params: IdParam },
      responses: { 200: json(AssessmentSchema, 'Published'), ...AUTH_ERRORS },
    }),
    async (c) => c.json(await publishAssessment(deps, actorIn(c), c.req.valid('param').id), 200),
  );
  return app;
}
