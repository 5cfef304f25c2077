import { createRoute, z } from '@hono/zod-openapi';
import { gradeLabel } from '../../domain/grading.ts';
import type { InstitutionProfile } from '../../domain/model.ts';
import { isReviewOverdue } from '../../domain/review.ts';
import { kindLabel, rulebook } from '../../domain/rules.ts';
import { countsInScope } from '../../domain/scope.ts';
import { KINDS, type LocalDate } from '../../domain/types.ts';
import { GRADES_CSV } from '../../exports/export-names.ts';
import { problemResponse } from '../../schemas/common.ts';
import type { InstitutionReader } from '../../store/institution-reader.ts';
import { answerConditional, weakEtag } from '../conditional.ts';
import { csvRow, UTF8_BOM } from '../csv.ts';
import type { PublicDeps } from '../deps.ts';
import { openApiRouter } from '../openapi-app.ts';

/** Bump when the columns change, so cached copies revalidate. */
export const GRADES_CSV_FORMAT = 'grades-csv-2';
const PAGE = 200;
const CACHE_CONTROL = 'public, max-age=300, s-maxage=300, stale-if-error=86400';

export const GRADE_CSV_COLUMNS = [
  'uscc',
  'name',
  'kind',
  'kindLabel',
  'district',
  'grade',
  'gradeLabel',
  'score',
  'publishedOn',
  'nextReviewDue',
  'reviewOverdue',
  'inPublicity',
] as const;

/** What one CSV line needs: a profile, or the compact register row the export job reads. */
type GradeFields = Pick<
  InstitutionProfile,
  | 'uscc'
  | 'name'
  | 'kind'
  | 'district'
  | 'grade'
  | 'score'
  | 'publishedOn'
  | 'nextReviewDue'
  | 'reviewOverdue'
> & { inPublicity: boolean };

/** One CSV line of an institution in scope (`countsInScope`: never a closed one). */
export function gradeRow(p: GradeFields, today: LocalDate): string {
  const overdue = p.reviewOverdue || (p.nextReviewDue !== null && isReviewOverdue(p.nextReviewDue, today));
  return csvRow([
    p.uscc,
    p.name,
    p.kind,
    kindLabel(p.kind),
    p.district,
    p.grade ?? 'UNGRADED',
    p.grade ? gradeLabel(p.grade) : '未评级',
    p.score,
    p.publishedOn,
    p.nextReviewDue,
    overdue,
    p.inPublicity,
  ]);
}

/**
 * The register's institutions in scope as CSV, one index page at a time: each pull of the stream reads one page of one
 * kind's partition, so memory holds a page, never the file, however large the register grows.
 */
export function gradesCsvStream(reader: InstitutionReader, today: LocalDate, pageSize = PAGE) {
  const encoder = new TextEncoder();
  let kindIndex = 0;
  let startKey: Record<string, unknown> | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(UTF8_BOM + csvRow(GRADE_CSV_COLUMNS)));
          return;
        }
        // A pull that enqueues nothing is not repeated by the stream, so read on until a page has
        // rows (an empty kind partition) or the register is done.
        for (;;) {
          const kind = KINDS[kindIndex];
          if (kind === undefined) {
            controller.close();
            return;
          }
          const page = await reader.listKind({ kind, startKey, limit: pageSize });
          startKey = page.lastKey;
          if (!startKey) kindIndex++;
          const listed = page.items.filter(countsInScope);
          if (listed.length > 0) {
            controller.enqueue(
              encoder.encode(
                listed.map((p) => gradeRow({ ...p, inPublicity: p.publicity !== null }, today)).join(''),
              ),
            );
            return;
          }
        }
      },
    },
    { highWaterMark: 1 },
  );
}

const exportRoute = createRoute({
  method: 'get',
  path: '/export/grades.csv',
  tags: ['feeds'],
  summary: 'Current grade of every institution in scope, as CSV for spreadsheets',
  description:
    'UTF-8 with a byte-order mark (Excel opens the Chinese correctly), CRLF line ends, one header row: ' +
    `${GRADE_CSV_COLUMNS.join(', ')}. \`grade\` is A–D or UNGRADED; booleans are true/false. Streamed page ` +
    'by page. In scope means not closed: the same institutions `/v1/stats` counts. Revalidate with ' +
    'If-None-Match: the ETag follows the register version (every change to an institution, a rename ' +
    'included, moves it) and the date, so a 304 costs one small read.',
  responses: {
    200: {
      description: 'The register as CSV',
      content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    302: { description: 'China profile: a presigned S3 link to the generated file, valid 5 minutes' },
    304: { description: 'Not modified (If-None-Match / If-Modified-Since)' },
    503: problemResponse('China profile: S3 did not answer whether the file exists; retry after Retry-After'),
  },
});

/** GET /export/grades.csv (mounted under /v1). */
export function exportRoutes(deps: PublicDeps) {
  const app = openApiRouter();
  app.openapi(exportRoute, async (c) => {
    const today = deps.clock.today();
    // Every write of a profile (a rename or a new address as much as a grade) bumps the register
    // version, and the only other input is the date (overdue reviews), so the version and today
    // validate the file without reading the register. The change feed would not do: an edit of a
    // name appends no event. No Last-Modified either: the version item keeps no time.
    const version = await deps.register.versionNow();
    const notModified = answerConditional(c, {
      etag: weakEtag(GRADES_CSV_FORMAT, version, today),
      cacheControl: CACHE_CONTROL,
    });
    if (notModified) return notModified;
    const disposition = `attachment; filename="grades-${today}.csv"; filename*=UTF-8''${encodeURIComponent(`${rulebook().wording.siteTitle.replace(/查询$/, '')}-${today}.csv`)}`;
    const link = await deps.exportLinks?.download(GRADES_CSV, disposition);
    if (link) {
      // The link expires: a client may keep the redirect briefly, never a shared cache.
      c.header('Cache-Control', 'private, max-age=60');
      return c.redirect(link, 302);
    }
    const file = await deps.exportFiles?.gradesCsv(today);
    return c.body(file ?? gradesCsvStream(deps.reader, today), 200, {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': disposition,
    });
  });
  return app;
}
