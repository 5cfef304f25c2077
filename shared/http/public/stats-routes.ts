import { createRoute } from '@hono/zod-openapi';
import { StatsSchema } from '../../schemas/search.ts';
import { CACHE_POLICIES, publicCache } from '../cache.ts';
import { openApiRouter } from '../openapi-app.ts';
import type { PublicLookup } from './services.ts';

const statsRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['public'],
  summary: 'Grades and coverage per district and in total, against the 2026 full-coverage target',
  description:
    'coverage = institutions with a published grade ÷ institutions in scope (closed institutions are out of scope). ' +
    'Read from the counts the register keeps with every change (one item, whatever the size of the register).',
  responses: {
    200: { description: 'The figures', content: { 'application/json': { schema: StatsSchema } } },
    304: { description: 'Not modified (If-None-Match)' },
  },
});

export function statsRoutes(lookup: PublicLookup) {
  const app = openApiRouter();
  app.use('*', publicCache(CACHE_POLICIES.stats));
  app.openapi(statsRoute, async (c) => c.json(await lookup.stats(), 200));
  return app;
}
