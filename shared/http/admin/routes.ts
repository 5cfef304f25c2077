import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { type AuthEnv, requireAuth } from '../../auth/middleware.ts';
import { ValidationError } from '../../domain/errors.ts';
import { scopeWarning } from '../../domain/scope.ts';
import { validateUscc } from '../../domain/uscc.ts';
import {
  AdminInstitutionSchema,
  AssessmentDetailSchema,
  AssessmentSchema,
  AuditListSchema,
  BulkDismissalSchema,
  CloseSchema,
  CoverageSchema,
  IndustryRatingRequestSchema,
  InstitutionUpdateSchema,
  ObjectionPageSchema,
  ObjectionSchema,
  PlanCheckSchema,
  PlanRequestSchema,
  PlanSchema,
  ProfileSchema,
  PublicityRequestSchema,
  PublicityWindowSchema,
  RegistrationSchema,
  ResolutionSchema,
  ScoredSchema,
  ScoreSchema,
  UntrueFindingSchema,
  UpgradeApplicationSchema,
  UpgradeDecisionSchema,
  ViolationRequestSchema,
  ViolationSchema,
  WatchListSchema,
} from '../../schemas/admin.ts';
import { UsccParam } from '../../schemas/common.ts';
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
import { actorOf, type WorkflowDeps } from '../../services/context.ts';
import { deleteIndustryRating, putIndustryRating } from '../../services/industry-rating.ts';
import {
  auditTrail,
  closeInstitution,
  getInstitutionForRegulator,
  registerInstitution,
  updateInstitution,
} from '../../services/institutions.ts';
import { dismissObjections, listObjectionPage, resolveObjection } from '../../services/objections.ts';
import {
  coverageReport,
  createInspectionPlan,
  verifyInspectionPlan,
  visibleInspectionPlan,
  watchList,
} from '../../services/supervision.ts';
import { decideUpgrade, getApplication, recordUntrueFinding } from '../../services/upgrades.ts';
import { recordViolation } from '../../services/violations.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { AUTH_ERRORS, BEARER } from './routes-common.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

function adminRoute<R extends Omit<RouteConfig, 'security' | 'tags'>>(config: R) {
  return createRoute({ ...config, tags: ['admin'], security: BEARER });
}

const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(120)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const UsccPath = z.object({ uscc: UsccParam });
const YearParam = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .openapi({ param: { name: 'year', in: 'path' } }),
});

const routes = {
  register: adminRoute({
    method: 'post',
    path: '/institutions',
    summary: 'Register an institution (city; a district officer for clinics of its district)',
    request: body(RegistrationSchema),
    responses: { 201: json(ProfileSchema, 'Registered'), ...AUTH_ERRORS },
  }),
  getInstitution: adminRoute({
    method: 'get',
    path: '/institutions/{uscc}',
    summary: 'An institution with its regulator-only data, results and violations',
    request: { params: UsccPath },
    responses: { 200: json(AdminInstitutionSchema, 'The institution'), ...AUTH_ERRORS },
  }),
  update: adminRoute({
    method: 'patch',
    path: '/institutions/{uscc}',
    summary: 'Update names, address, aliases, contacts, high-risk services or the off-site flag',
    request: { params: UsccPath, ...body(InstitutionUpdateSchema) },
    responses: {
      200: json(AdminInstitutionSchema.pick({ profile: true, private: true }), 'Updated'),
      ...AUTH_ERRORS,
    },
  }),
  close: adminRoute({
    method: 'post',
    path: '/institutions/{uscc}/close',
    summary: 'Close an institution: it stays in history and search, marked closed',
    request: {
      params: UsccPath,
      body: { content: { 'application/json': { schema: CloseSchema } }, required: false },
    },
    responses: { 200: json(ProfileSchema, 'Closed'), ...AUTH_ERRORS },
  }),
  putIndustryRating: adminRoute({
    method: 'put',
    path: '/institutions/{uscc}/industry-rating',
    summary: 'Record the industry association’s 1A–5A rating (association, city); audited',
    description:
      'Shown on the public detail as `industryRating`, labelled as the association’s evaluation and never mixed with the regulatory grade. An `association` token (with its `association` claim) records only ratings whose `ratedBy` is itself.',
    request: { params: UsccPath, ...body(IndustryRatingRequestSchema) },
    responses: { 200: json(ProfileSchema, 'Recorded'), ...AUTH_ERRORS },
  }),
  deleteIndustryRating: adminRoute({
    method: 'delete',
    path: '/institutions/{uscc}/industry-rating',
    summary: 'Remove the industry rating (association that made it, city); audited',
    request: { params: UsccPath },
    responses: { 200: json(ProfileSchema, 'Removed'), ...AUTH_ERRORS },
  }),
  violation: adminRoute({
    method: 'post',
    path: '/institutions/{uscc}/violations',
    summary: 'Record a violation, accident or adverse event: A/B/C are downgraded at once by severity',
    request: { params: UsccPath, ...body(ViolationRequestSchema) },
    responses: { 201: json(ViolationSchema, 'Recorded'), ...AUTH_ERRORS },
  }),
  score: adminRoute({
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
  getAssessment: adminRoute({
    method: 'get',
    path: '/assessments/{id}',
    summary: 'An assessment with its objections',
    request: { params: IdParam },
    responses: { 200: json(AssessmentDetailSchema, 'The assessment'), ...AUTH_ERRORS },
  }),
  approve: adminRoute({
    method: 'post',
    path: '/assessments/{id}/approve',
    summary: 'District approval of a clinic’s result (审定; district_admin of that district)',
    request: { params: IdParam },
    responses: { 200: json(AssessmentSchema, 'Approved'), ...AUTH_ERRORS },
  }),
  recheck: adminRoute({
    method: 'post',
    path: '/assessments/{id}/recheck',
    summary: 'City re-check of a clinic’s approved result (复核; city)',
    request: { params: IdParam },
    responses: { 200: json(AssessmentSchema, 'Re-checked'), ...AUTH_ERRORS },
  }),
  publicity: adminRoute({
    method: 'post',
    path: '/assessments/{id}/publicity',
    summary: 'Start publicity (公示; city): 5 working days of the official calendar',
    request: {
      params: IdParam,
      body: { content: { 'application/json': { schema: PublicityRequestSchema } }, required: false },
    },
    responses: { 200: json(PublicityWindowSchema, 'In publicity'), ...AUTH_ERRORS },
  }),
  publish: adminRoute({
    method: 'post',
    path: '/assessments/{id}/publish',
    summary: 'Confirm and publish (guidance): only after publicity has ended and with no open objection',
    request: { params: IdParam },
    responses: { 200: json(AssessmentSchema, 'Published'), ...AUTH_ERRORS },
  }),
  withdraw: adminRoute({
    method: 'post',
    path: '/assessments/{id}/withdraw',
    summary: 'Withdraw a result before publication (city)',
    request: { params: IdParam },
    responses: { 200: json(AssessmentSchema, 'Withdrawn'), ...AUTH_ERRORS },
  }),
  resolve: adminRoute({
    method: 'post',
    path: '/objections/{id}/resolve',
    summary: 'Decide an objection (city); an upheld objection withdraws the result',
    request: { params: IdParam, ...body(ResolutionSchema) },
    responses: {
      200: json(z.object({ objection: ObjectionSchema, result: AssessmentSchema }), 'Decided'),
      ...AUTH_ERRORS,
    },
  }),
  objections: adminRoute({
    method: 'get',
    path: '/assessments/{id}/objections',
    summary: 'The objections of an assessment, a page at a time (limit/cursor)',
    request: {
      params: IdParam,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(2000).optional(),
      }),
    },
    responses: { 200: json(ObjectionPageSchema, 'Objections'), ...AUTH_ERRORS },
  }),
  dismissAll: adminRoute({
    method: 'post',
    path: '/assessments/{id}/objections/dismissal',
    summary:
      'Dismiss the open objections of an assessment in one decision (city): all of them, or those in `ids`',
    request: { params: IdParam, ...body(BulkDismissalSchema) },
    responses: {
      200: json(z.object({ dismissed: z.array(z.string()), result: AssessmentSchema }), 'Dismissed'),
      ...AUTH_ERRORS,
    },
  }),
  decide: adminRoute({
    method: 'post',
    path: '/upgrade-applications/{id}/decision',
    summary: 'Decide an upgrade application (city; a clinic’s by its district, which scores it)',
    description:
      'A clinic’s upgrade follows the clinic path: its district officer accepts it with the new score (then the district health admin approves and the city re-checks); the city may refuse it or find it untrue. The city accepts and scores hospitals and outpatient departments.',
    request: { params: IdParam, ...body(UpgradeDecisionSchema) },
    responses: { 200: json(UpgradeApplicationSchema, 'Decided'), ...AUTH_ERRORS },
  }),
  untrueFinding: adminRoute({
    method: 'post',
    path: '/upgrade-applications/{id}/untrue-finding',
    summary: 'Record that a decided application’s self-assessment was found untrue later (自评不实)',
    description:
      'At a re-review or an inspection. The 2-year ban on upgrade applications runs from `foundOn`; applications before its end are refused with 422 naming the date. City; a district officer for its clinics.',
    request: { params: IdParam, ...body(UntrueFindingSchema) },
    responses: { 200: json(UpgradeApplicationSchema, 'Recorded'), ...AUTH_ERRORS },
  }),
  getApplication: adminRoute({
    method: 'get',
    path: '/upgrade-applications/{id}',
    summary: 'An upgrade application',
    request: { params: IdParam },
    responses: { 200: json(UpgradeApplicationSchema, 'The application'), ...AUTH_ERRORS },
  }),
  createPlan: adminRoute({
    method: 'post',
    path: '/inspection-plans',
    summary: 'Draw the year’s random-inspection plan from a seed (city; one per year; nobody is notified)',
    request: body(PlanRequestSchema),
    responses: { 201: json(PlanSchema, 'Drawn and stored'), ...AUTH_ERRORS },
  }),
  getPlan: adminRoute({
    method: 'get',
    path: '/inspection-plans/{year}',
    summary:
      'The year’s random-inspection plan (regulators; a district sees only its own clinics, without the seed)',
    request: { params: YearParam },
    responses: { 200: json(PlanSchema, 'The plan'), ...AUTH_ERRORS },
  }),
  verifyPlan: adminRoute({
    method: 'post',
    path: '/inspection-plans/{year}/check',
    summary: 'Re-draw the plan from its seed and population and compare (city, guidance group)',
    request: { params: YearParam },
    responses: { 200: json(PlanCheckSchema, 'Whether the re-draw matches'), ...AUTH_ERRORS },
  }),
  watchList: adminRoute({
    method: 'get',
    path: '/watch-list',
    summary: 'D institutions with high-risk services (重点关注清单; regulators only)',
    responses: { 200: json(WatchListSchema, 'The watch list'), ...AUTH_ERRORS },
  }),
  coverage: adminRoute({
    method: 'get',
    path: '/coverage',
    summary: 'Published ÷ in scope, per district',
    responses: { 200: json(CoverageSchema, 'Coverage'), ...AUTH_ERRORS },
  }),
  audit: adminRoute({
    method: 'get',
    path: '/audit',
    summary:
      'Audit trail of an institution (`CITY` for city-wide actions), oldest first; nothing is ever deleted',
    request: {
      query: z.object({
        uscc: z.string().max(64),
        limit: z.coerce.number().int().min(1).max(50).default(20),
        cursor: z.string().max(2000).optional(),
      }),
    },
    responses: { 200: json(AuditListSchema, 'Audit entries'), ...AUTH_ERRORS },
  }),
};

/** The authenticated regulator API, mounted at /v1/admin. */
export function adminRoutes(deps: AdminDeps & WorkflowDeps) {
  const app = openApiRouter<AuthEnv>();
  app.use('*', requireAuth(deps.verifier));
  // Imports (shared/http/admin/imports.ts, mounted beside these routes) take their own, larger limit.
  const jsonLimit = bodyLimit({ maxSize: 64 * 1024 });
  app.use('*', async (c, next) => (c.req.path.endsWith('/imports') ? next() : jsonLimit(c, next)));
  const actor = (c: { get(key: 'principal'): AuthEnv['Variables']['principal'] }) =>
    actorOf(c.get('principal'));

  app.openapi(routes.register, async (c) => {
    const input = c.req.valid('json');
    const profile = await registerInstitution(deps, actor(c), input);
    const warning = scopeWarning(input.name);
    return c.json({ ...profile, ...(warning ? { warnings: [warning] } : {}) }, 201);
  });
  app.openapi(routes.getInstitution, async (c) => {
    const view = await getInstitutionForRegulator(deps, actor(c), c.req.valid('param').uscc);
    return c.json(
      {
        profile: { ...view.profile },
        private: view.private ? { ...view.private } : null,
        results: view.results.map((r) => ({ ...r })),
        violations: view.violations.map((v) => ({ ...v })),
      },
      200,
    );
  });
  app.openapi(routes.update, async (c) => {
    const out = await updateInstitution(deps, actor(c), c.req.valid('param').uscc, c.req.valid('json'));
    return c.json({ profile: { ...out.profile }, private: out.private ? { ...out.private } : null }, 200);
  });
  app.openapi(routes.close, async (c) => {
    const input = c.req.valid('json') as { closedOn?: string } | undefined;
    const profile = await closeInstitution(deps, actor(c), c.req.valid('param').uscc, input?.closedOn);
    return c.json({ ...profile }, 200);
  });
  app.openapi(routes.putIndustryRating, async (c) => {
    const p = await putIndustryRating(deps, actor(c), c.req.valid('param').uscc, c.req.valid('json'));
    return c.json({ ...p }, 200);
  });
  app.openapi(routes.deleteIndustryRating, async (c) => {
    const p = await deleteIndustryRating(deps, actor(c), c.req.valid('param').uscc);
    return c.json({ ...p }, 200);
  });
  app.openapi(routes.violation, async (c) => {
    const v = await recordViolation(deps, actor(c), c.req.valid('param').uscc, c.req.valid('json'));
    return c.json({ ...v }, 201);
  });
  app.openapi(routes.score, async (c) => {
    const who = actor(c);
    const key = c.req.valid('header')['idempotency-key'];
    const r = await scoreAssessment(
      deps,
      who,
      c.req.valid('json'),
      key ? { id: scoringId(who.subject, key) } : {},
    );
    return c.json({ id: r.id, grade: r.grade, status: r.status }, 201);
  });
  app.openapi(routes.getAssessment, async (c) => {
    const out = await getAssessment(deps, actor(c), c.req.valid('param').id);
    return c.json({ result: { ...out.result }, objections: out.objections.map((o) => ({ ...o })) }, 200);
  });
  app.openapi(routes.approve, async (c) =>
    c.json({ ...(await approveAssessment(deps, actor(c), c.req.valid('param').id)) }, 200),
  );
  app.openapi(routes.recheck, async (c) =>
    c.json({ ...(await recheckAssessment(deps, actor(c), c.req.valid('param').id)) }, 200),
  );
  app.openapi(routes.withdraw, async (c) =>
    c.json({ ...(await withdrawAssessment(deps, actor(c), c.req.valid('param').id)) }, 200),
  );
  app.openapi(routes.publicity, async (c) => {
    const input = c.req.valid('json') as { startOn?: string } | undefined;
    const r = await publiciseAssessment(deps, actor(c), c.req.valid('param').id, input?.startOn);
    const window = r.publicity as { startOn: string; endOn: string };
    return c.json({ id: r.id, status: r.status, startOn: window.startOn, endOn: window.endOn }, 200);
  });
  app.openapi(routes.publish, async (c) =>
    c.json({ ...(await publishAssessment(deps, actor(c), c.req.valid('param').id)) }, 200),
  );
  app.openapi(routes.resolve, async (c) => {
    const out = await resolveObjection(deps, actor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ objection: { ...out.objection }, result: { ...out.result } }, 200);
  });
  app.openapi(routes.objections, async (c) => {
    const q = c.req.valid('query');
    const page = await listObjectionPage(
      deps,
      actor(c),
      c.req.valid('param').id,
      q.limit,
      decodeCursor(q.cursor, deps.cursorSecret, `objections of ${c.req.valid('param').id}`),
    );
    return c.json(
      {
        items: page.items.map((o) => ({ ...o })),
        nextCursor: encodeCursor(page.lastKey, deps.cursorSecret, `objections of ${c.req.valid('param').id}`),
      },
      200,
    );
  });
  app.openapi(routes.dismissAll, async (c) => {
    const out = await dismissObjections(deps, actor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ dismissed: out.dismissed, result: { ...out.result } }, 200);
  });
  app.openapi(routes.decide, async (c) => {
    const a = await decideUpgrade(deps, actor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ ...a }, 200);
  });
  app.openapi(routes.untrueFinding, async (c) => {
    const a = await recordUntrueFinding(deps, actor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ ...a }, 200);
  });
  app.openapi(routes.getApplication, async (c) =>
    c.json({ ...(await getApplication(deps, actor(c), c.req.valid('param').id)) }, 200),
  );
  app.openapi(routes.createPlan, async (c) =>
    c.json({ ...(await createInspectionPlan(deps, actor(c), c.req.valid('json'))) }, 201),
  );
  app.openapi(routes.getPlan, async (c) =>
    c.json({ ...(await visibleInspectionPlan(deps, actor(c), c.req.valid('param').year)) }, 200),
  );
  app.openapi(routes.verifyPlan, async (c) =>
    c.json(await verifyInspectionPlan(deps, actor(c), c.req.valid('param').year), 200),
  );
  app.openapi(routes.watchList, async (c) => c.json({ items: await watchList(deps, actor(c)) }, 200));
  app.openapi(routes.coverage, async (c) => c.json(await coverageReport(deps, actor(c)), 200));
  app.openapi(routes.audit, async (c) => {
    const q = c.req.valid('query');
    const uscc = auditSubject(q.uscc);
    // Each trail signs its cursors with its own key: one institution's cursor is refused on another's.
    const purpose = `audit of ${uscc}`;
    const page = await auditTrail(
      deps,
      actor(c),
      uscc,
      decodeCursor(q.cursor, deps.cursorSecret, purpose),
      q.limit,
    );
    return c.json(
      {
        items: page.items.map((e) => ({ ...e, actor: { ...e.actor } })),
        nextCursor: encodeCursor(page.lastKey, deps.cursorSecret, purpose),
      },
      200,
    );
  });
  return app;
}

/** `CITY` names the city-wide trail (inspection plans); anything else must be a valid uscc. */
function auditSubject(value: string): string {
  if (value === 'CITY') return value;
  const checked = validateUscc(value);
  if (!checked.ok) throw new ValidationError(checked.message, [{ path: 'uscc', message: checked.message }]);
  return checked.uscc;
}
