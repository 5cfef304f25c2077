import { createRoute } from '@hono/zod-openapi';
import { addDays } from '../../domain/dates.ts';
import { gradeLabel } from '../../domain/grading.ts';
import type { GradingResult } from '../../domain/model.ts';
import type { RegisterRow } from '../../domain/register-row.ts';
import { kindLabel } from '../../domain/rules.ts';
import type { LocalDate } from '../../domain/types.ts';
import { problemResponse } from '../../schemas/common.ts';
import { PublicityPageSchema, PublicityQuery } from '../../schemas/feeds.ts';
import { publicityIndexKeys } from '../../store/keys.ts';
import { CACHE_POLICIES, publicCache } from '../cache.ts';
import type { PublicDeps } from '../deps.ts';
import { decodePublicityCursor, encodePublicityCursor } from '../feed-cursor.ts';
import { openApiRouter } from '../openapi-app.ts';
import { objectionUrl } from './present.ts';

/** Index reads per request at most: stale entries (publicity over, result not yet published) are skipped. */
const MAX_CHUNKS = 5;
const CHUNK = 50;

const publicityRoute = createRoute({
  method: 'get',
  path: '/publicity',
  tags: ['feeds'],
  summary: 'Every grading result now in publicity (公示), with how to object',
  description:
    'Results whose 5-working-day publicity includes today (Asia/Shanghai), ordered by the end of publicity ' +
    '(soonest first). Each item says how to lodge an objection while publicity lasts.',
  request: { query: PublicityQuery },
  responses: {
    200: {
      description: 'A page of results in publicity',
      content: { 'application/json': { schema: PublicityPageSchema } },
    },
    304: { description: 'Not modified (If-None-Match)' },
    400: problemResponse('Invalid limit or cursor'),
  },
});

const inPublicityOn = (r: GradingResult, today: LocalDate) =>
  r.status === 'in_publicity' &&
  r.publicity !== null &&
  r.publicity.startOn <= today &&
  today <= r.publicity.endOn;

export function objectionHelp(
  r: { id: string; publicity: { startOn: LocalDate; endOn: LocalDate } },
  publicBaseUrl: string,
) {
  const url = objectionUrl(publicBaseUrl, r.id);
  const { startOn, endOn } = r.publicity;
  return {
    method: 'POST' as const,
    url,
    deadline: `${addDays(endOn, 1)}T00:00:00+08:00`,
    instructions:
      `公示期为${startOn}至${endOn}，${endOn}当日24时截止。对拟定等级有异议的，任何单位和个人均可在公示期内` +
      `以 POST 方式向 ${url} 提交异议，写明异议事项和理由，并尽量附上事实依据；逾期提交的不予受理。` +
      '异议处理完毕前，该结果不会正式公布。',
  };
}

/** GET /publicity (mounted under /v1). */
export function publicityRoutes(deps: PublicDeps) {
  const app = openApiRouter();
  app.use('/publicity', publicCache(CACHE_POLICIES.publicity));
  app.openapi(publicityRoute, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    return c.json(await listPublicity(deps, limit, cursor), 200);
  });
  return app;
}

/** One page of the results now in publicity, soonest end first (the feed and the publicity page). */
export async function listPublicity(deps: PublicDeps, limit: number, cursor: string | undefined) {
  const today = deps.clock.today();
  const start = cursor ? decodePublicityCursor(deps.cursorSecret, cursor) : null;
  const floor = `${today}#`;
  let position = start ? publicityIndexKeys({ endOn: start.endOn, id: start.id }).gsi2sk : floor;
  if (position < floor) position = floor;

  const taken: GradingResult[] = [];
  let last: GradingResult | null = null;
  let more = true;
  for (let chunk = 0; chunk < MAX_CHUNKS && more && taken.length < limit; chunk++) {
    const page = await deps.results.listInPublicityAfter(position, CHUNK);
    more = page.more;
    for (const [i, r] of page.items.entries()) {
      last = r;
      position = publicityIndexKeys({ endOn: r.publicity?.endOn ?? '', id: r.id }).gsi2sk;
      if (inPublicityOn(r, today)) taken.push(r);
      if (taken.length === limit) {
        more = more || i < page.items.length - 1;
        break;
      }
    }
  }
  // The register rows give the names, and whether a downgrade since keeps a result from publication.
  const rows: Map<string, RegisterRow> =
    taken.length > 0
      ? await deps.reader.rows.getMany(
          taken.map((r) => r.uscc),
          false,
        )
      : new Map();
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const items = taken.map((r) => {
    const publicity = r.publicity as { startOn: LocalDate; endOn: LocalDate };
    const row = rows.get(r.uscc);
    return {
      resultId: r.id,
      uscc: r.uscc,
      name: row?.name ?? r.uscc,
      kind: r.kind,
      kindLabel: kindLabel(r.kind),
      district: r.district,
      reason: r.reason,
      proposedGrade: r.grade,
      proposedGradeLabel: gradeLabel(r.grade),
      score: r.score,
      startOn: publicity.startOn,
      endOn: publicity.endOn,
      stage:
        row?.publicity?.resultId === r.id && row.publicity.unpublishable
          ? ('unpublishable' as const)
          : ('open' as const),
      pageUrl: `${base}/i/${r.uscc}`,
      objection: objectionHelp({ id: r.id, publicity }, deps.publicBaseUrl),
    };
  });
  const nextCursor =
    more && last
      ? encodePublicityCursor(deps.cursorSecret, { endOn: last.publicity?.endOn ?? today, id: last.id })
      : null;
  return { items, nextCursor };
}
