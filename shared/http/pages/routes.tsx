import type { Context } from 'hono';
import { Hono } from 'hono';
import { type FieldProblem, ValidationError } from '../../domain/errors.ts';
import { validateUscc } from '../../domain/uscc.ts';
import type { InstitutionList } from '../../schemas/search.ts';
import { SearchQuerySchema } from '../../schemas/search.ts';
import { publicCache } from '../cache.ts';
import type { PublicDeps } from '../deps.ts';
import { fieldProblems } from '../problem.ts';
import { presentDetail } from '../public/present.ts';
import type { PublicLookup } from '../public/services.ts';
import { InstitutionPage, MessagePage } from './institution-page.tsx';
import { FAVICON_SVG, render } from './layout.tsx';
import { type SearchForm, SearchPage } from './search-page.tsx';
import { siteOf } from './site.ts';
import { StatsPage } from './stats-page.tsx';

/**
 * No inline script, no third-party asset, no framing. The one script is the objection form's own
 * proof-of-work solver, served from this origin.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** An HTML page (JSX node or rendered markup) with the page security headers. */
export function sendPage(c: Context, node: unknown, status: 200 | 400 | 404 = 200): Response {
  return c.html(render(node, siteOf(c)), status, { 'Content-Security-Policy': PAGE_CSP });
}

const FORM_FIELDS = ['q', 'district', 'grade', 'kind', 'procedure', 'near', 'radius'] as const;

/** The public web pages (server-rendered, Chinese, usable without JavaScript). */
export function pageRoutes(deps: PublicDeps, lookup: PublicLookup) {
  const app = new Hono();
  // Per route, not '*': mounted at '/', a wildcard would reach every other route of the app.
  const cache = publicCache();

  app.get('/', cache, async (c) => {
    const form: SearchForm = {};
    for (const f of FORM_FIELDS) {
      const v = c.req.query(f);
      // An empty select ("全部") is submitted as an empty string: it means no filter.
      if (v !== undefined && v.trim() !== '') form[f] = v;
    }
    const cursor = c.req.query('cursor') || undefined;
    let errors: FieldProblem[] = [];
    let result: InstitutionList | null = null;
    const parsed = SearchQuerySchema.safeParse({ ...form, cursor });
    if (!parsed.success) errors = fieldProblems('query', parsed.error.issues);
    else {
      try {
        result = await lookup.search(parsed.data);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        errors = err.errors;
      }
    }
    const nextHref = result?.nextCursor
      ? `/?${new URLSearchParams({ ...form, cursor: result.nextCursor }).toString()}`
      : null;
    return sendPage(
      c,
      <SearchPage form={form} result={result} errors={errors} nextHref={nextHref} />,
      errors.length > 0 ? 400 : 200,
    );
  });

  app.get('/i/:uscc', cache, async (c) => {
    const checked = validateUscc(c.req.param('uscc'));
    if (!checked.ok) {
      return sendPage(c, <MessagePage title="统一社会信用代码有误" message={checked.message} />, 400);
    }
    const profile = await deps.reader.getProfile(checked.uscc);
    if (!profile) {
      return sendPage(
        c,
        <MessagePage
          title="未找到该机构"
          message={`没有统一社会信用代码为 ${checked.uscc} 的美容医疗机构。`}
        />,
        404,
      );
    }
    const detail = presentDetail(profile, deps.clock.today(), deps.publicBaseUrl);
    return sendPage(c, <InstitutionPage d={detail} qrUrl={`/v1/institutions/${checked.uscc}/qr.svg`} />);
  });

  // The site icon; browsers ask for /favicon.ico whatever the page links.
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, (c) =>
      c.body(FAVICON_SVG, 200, {
        'Content-Type': 'image/svg+xml',
        'Cache-Control': 'public, max-age=86400',
      }),
    );
  }

  app.get('/stats', cache, async (c) => sendPage(c, <StatsPage stats={await lookup.stats()} />));
  return app;
}
