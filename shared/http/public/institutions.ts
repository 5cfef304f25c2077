import { createRoute, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../domain/errors.ts';
import { problemResponse, UsccParam } from '../../schemas/common.ts';
import { InstitutionDetailSchema } from '../../schemas/institution.ts';
import { InstitutionListSchema, SearchQuerySchema } from '../../schemas/search.ts';
import { CACHE_POLICIES, publicCache, taggedJson } from '../cache.ts';
import type { PublicDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { presentDetail } from './present.ts';
import type { PublicLookup } from './services.ts';

const searchRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['public'],
  summary: 'Search and list institutions',
  description:
    'With `q`: institutions whose name or alias contains it (Chinese, full pinyin or pinyin initials), ' +
    'best match first within each page (exact name, prefix, substring), then the institutions of the district ' +
    'it names (in full or without 区/县/市) and those whose address holds it (文三路); an exact uscc is looked up directly. ' +
    'Without `q`: the register in pinyin order, filtered by district, grade and kind. ' +
    'Follow `nextCursor` with the same parameters to get every match exactly once.',
  request: { query: SearchQuerySchema },
  responses: {
    200: {
      description: 'One page of institutions',
      content: { 'application/json': { schema: InstitutionListSchema } },
    },
    304: { description: 'Not modified (If-None-Match)' },
    400: problemResponse('Invalid parameter (q, district, grade, kind, limit or cursor), named in `errors`'),
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/{uscc}',
  tags: ['public'],
  summary: 'An institution: current grade, publicity in progress, history and the measures its grade earns',
  request: { params: z.object({ uscc: UsccParam }) },
  responses: {
    200: {
      description: 'The institution',
      content: { 'application/json': { schema: InstitutionDetailSchema } },
    },
    304: { description: 'Not modified (If-None-Match)' },
    400: problemResponse('Malformed uscc'),
    404: problemResponse('No such institution'),
  },
});

const qrRoute = createRoute({
  method: 'get',
  path: '/{uscc}/qr.svg',
  tags: ['public'],
  summary: "QR code of the institution's public page, for the door sign",
  request: { params: z.object({ uscc: UsccParam }) },
  responses: {
    200: {
      description: 'An SVG QR code encoding `PUBLIC_BASE_URL/i/{uscc}`',
      content: { 'image/svg+xml': { schema: z.string() } },
    },
    304: { description: 'Not modified (If-None-Match)' },
    400: problemResponse('Malformed uscc'),
    404: problemResponse('No such institution'),
  },
});

export function institutionRoutes(deps: PublicDeps, lookup: PublicLookup) {
  const app = openApiRouter();
  app.use('/', publicCache(CACHE_POLICIES.search));
  app.use('/:uscc', publicCache(CACHE_POLICIES.detail));
  app.use('/:uscc/*', publicCache(CACHE_POLICIES.detail));
  // Tagged as they are serialised: hashing the text costs less than reading the response back.
  app.openapi(searchRoute, async (c) => taggedJson(c, await lookup.search(c.req.valid('query'))));
  app.openapi(detailRoute, async (c) => {
    const { uscc } = c.req.valid('param');
    const profile = await deps.reader.getProfile(uscc);
    if (!profile) throw new NotFoundError(`no institution with uscc ${uscc}`);
    return taggedJson(c, presentDetail(profile, deps.clock.today(), deps.publicBaseUrl));
  });
  app.openapi(qrRoute, async (c) => {
    const { uscc } = c.req.valid('param');
    // A sign is printed only for a registered institution; an unknown code is a typo worth reporting.
    if (!(await deps.reader.getProfile(uscc))) throw new NotFoundError(`no institution with uscc ${uscc}`);
    return c.body(await lookup.qrSvg(uscc), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });
  return app;
}
