import { createRoute, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../domain/errors.ts';
import { problemResponse, UsccParam } from '../../schemas/common.ts';
import { InstitutionDetailSchema } from '../../schemas/institution.ts';
import { publicCache } from '../cache.ts';
import type { PublicDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { presentDetail } from './present.ts';

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

export function institutionRoutes(deps: PublicDeps) {
  const app = openApiRouter();
  app.use('/:uscc', publicCache());
  app.openapi(detailRoute, async (c) => {
    const { uscc } = c.req.valid('param');
    const profile = await deps.reader.getProfile(uscc);
    if (!profile) throw new NotFoundError(`no institution with uscc ${uscc}`);
    return c.json(presentDetail(profile, deps.clock.today(), deps.publicBaseUrl), 200);
  });
  return app;
}
