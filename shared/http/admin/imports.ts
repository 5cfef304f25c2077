import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AuthEnv } from '../../auth/middleware.ts';
import { ValidationError } from '../../domain/errors.ts';
import { IMPORT_LIMITS } from '../../import/limits.ts';
import { formatOf, readSheet } from '../../import/sheet.ts';
import { ImportReportSchema } from '../../schemas/admin.ts';
import { problemResponse } from '../../schemas/common.ts';
import { actorOf } from '../../services/context.ts';
import { importRegister } from '../../services/imports.ts';
import type { AdminDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';
import { AUTH_ERRORS, BEARER } from './routes-common.ts';

const importFile = createRoute({
  method: 'post',
  path: '/imports',
  tags: ['admin'],
  security: BEARER,
  summary: 'Import a register (.xlsx or .csv): all rows validated first; any error imports nothing',
  description:
    'Send the file as the body with Content-Type `text/csv` or `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`. Re-importing the same file changes nothing. Errors come back in the 200 report as `{row, column, message}` with `ok: false`. A file past a limit of docs/imports.md is refused with 413 naming the limit; a workbook with macros, external links, encryption or XML entity declarations with 400.',
  request: {
    body: {
      content: {
        'text/csv': { schema: z.string() },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
          schema: z.string().openapi({ format: 'binary' }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'What was imported, or every error',
      content: { 'application/json': { schema: ImportReportSchema } },
    },
    ...AUTH_ERRORS,
    413: problemResponse(
      'Past a documented import limit (file bytes, inflated bytes, rows, cells, line length); `limit` names it',
    ),
  },
});

/** Register imports, mounted at /v1/admin: served by their own function (functions/imports-api). */
export function importRoutes(deps: AdminDeps) {
  const app = openApiRouter<AuthEnv>();
  app.use('/imports', bodyLimit({ maxSize: IMPORT_LIMITS.fileBytes }));
  app.openapi(importFile, async (c) => {
    const who = actorOf(c.get('principal'));
    const format = formatOf(c.req.header('content-type') ?? '');
    if (!format) {
      throw new ValidationError('send a .csv or .xlsx file', [
        {
          path: 'content-type',
          message: 'text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
      ]);
    }
    const sheet = await readSheet(new Uint8Array(await c.req.arrayBuffer()), format);
    return c.json(await importRegister(deps, who, sheet), 200);
  });
  return app;
}
