import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../auth/middleware.ts';
import {
  CampaignListQuery,
  CampaignPageSchema,
  CampaignSummaryQuery,
  CampaignSummarySchema,
  CampaignYearParam,
} from '../../schemas/campaign.ts';
import { campaignInstitutions, campaignSummary } from '../../services/campaign.ts';
import { actorOf } from '../../services/context.ts';
import { bindingOf, openCursor, signCursor } from '../cursor.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, BEARER } from './routes-common.ts';

function campaignRoute<R extends Omit<RouteConfig, 'security' | 'tags'>>(config: R) {
  return createRoute({ ...config, tags: ['admin'], security: BEARER });
}

const { 409: _conflict, 422: _refused, ...READ_ERRORS } = AUTH_ERRORS;

const SCOPE =
  'District roles see the clinics of their own district (asking for another district is 403); the city ' +
  'and the guidance group see the whole city. Institutions and the public get 403 and 401.';

const summaryRoute = campaignRoute({
  method: 'get',
  path: '/{year}',
  summary: 'The yearly campaign: institutions covered and progress per district',
  description:
    'One campaign per calendar year (全市每年统一组织一次): institutions never graded, re-reviews due by the ' +
    'end of the year (overdue ones carried over) and upgrade applications of the year, with the stage each ' +
    'has reached. A result belongs to the campaign of the year it was assessed in; closed institutions are ' +
    `out of scope, as in /v1/stats. ${SCOPE}`,
  request: { params: CampaignYearParam, query: CampaignSummaryQuery },
  responses: {
    200: { description: 'The figures', content: { 'application/json': { schema: CampaignSummarySchema } } },
    ...READ_ERRORS,
  },
});

const listRoute = campaignRoute({
  method: 'get',
  path: '/{year}/institutions',
  summary: 'The institutions a yearly campaign covers, with their stage, in district and name order',
  description: `Filter by district, stage and basis; pages of up to 50 with an opaque cursor. ${SCOPE}`,
  request: { params: CampaignYearParam, query: CampaignListQuery },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: CampaignPageSchema } } },
    ...READ_ERRORS,
  },
});

const CursorState = z.object({ after: z.string().min(1).max(600) });

/** A cursor is bound to its year and filters: replayed with others it is refused (400). */
const binding = (year: number, q: { district?: string; stage?: string; basis?: string }) =>
  bindingOf({ list: 'campaign', year: String(year), district: q.district, stage: q.stage, basis: q.basis });

/** GET /v1/admin/campaigns/{year} and …/{year}/institutions (regulators). */
export function campaignRoutes(deps: AdminDeps) {
  const app = openApiRouter<AuthEnv>();
  app.openapi(summaryRoute, async (c) => {
    const { year } = c.req.valid('param');
    const { district } = c.req.valid('query');
    return c.json(await campaignSummary(deps, actorOf(c.get('principal')), year, district), 200);
  });
  app.openapi(listRoute, async (c) => {
    const { year } = c.req.valid('param');
    const q = c.req.valid('query');
    const bound = binding(year, q);
    const after = q.cursor
      ? openCursor(deps.cursorSecret, bound, q.cursor, (s) => CursorState.parse(s)).after
      : null;
    const page = await campaignInstitutions(deps, actorOf(c.get('principal')), year, {
      district: q.district,
      stage: q.stage,
      basis: q.basis,
      limit: q.limit,
      after,
    });
    return c.json(
      {
        items: page.items.map((e) => ({ ...e })),
        nextCursor: page.after ? signCursor(deps.cursorSecret, bound, { after: page.after }) : null,
      },
      200,
    );
  });
  return app;
}
