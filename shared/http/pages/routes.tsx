import type { Context } from 'hono';
import { Hono } from 'hono';
import { DomainError, type FieldProblem, ValidationError } from '../../domain/errors.ts';
import { parseReference } from '../../domain/objection-reference.ts';
import { validateUscc } from '../../domain/uscc.ts';
import type { InstitutionDetail } from '../../schemas/institution.ts';
import type { InstitutionList } from '../../schemas/search.ts';
import { SearchQuerySchema } from '../../schemas/search.ts';
import { CACHE_POLICIES, publicCache } from '../cache.ts';
import type { PublicDeps } from '../deps.ts';
import { fieldProblems, problemFor } from '../problem.ts';
import { presentDetail } from '../public/present.ts';
import { listPublicity } from '../public/publicity.ts';
import type { MatchCount } from '../public/search-count.ts';
import type { PublicLookup } from '../public/services.ts';
import { InstitutionPage, MessagePage } from './institution-page.tsx';
import { FAVICON_SVG, render } from './layout.tsx';
import { ObjectionLookupPage, ObjectionStatusPage } from './objection-pages.tsx';
import { PublicityPage } from './publicity-page.tsx';
import { type SearchForm, SearchPage } from './search-page.tsx';
import { SignPage } from './sign-page.tsx';
import { siteOf } from './site.ts';
import { StatsPage } from './stats-page.tsx';

/**
 * No inline script, no third-party asset, no framing. The one script is the objection form's own
 * proof-of-work solver, served from this origin.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** An HTML page (JSX node or rendered markup) with the page security headers. */
export function sendPage(c: Context, node: unknown, status: 200 | 400 | 404 | 429 = 200): Response {
  return c.html(render(node, siteOf(c)), status, { 'Content-Security-Policy': PAGE_CSP });
}

/** An institution's public detail, or the page that says why there is none. */
async function detailOr(c: Context, deps: PublicDeps): Promise<InstitutionDetail | Response> {
  const checked = validateUscc(c.req.param('uscc') ?? '');
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
  return presentDetail(profile, deps.clock.today(), deps.publicBaseUrl);
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
    let total: MatchCount | null = null;
    const parsed = SearchQuerySchema.safeParse({ ...form, cursor });
    if (!parsed.success) errors = fieldProblems('query', parsed.error.issues);
    else {
      try {
        result = await lookup.search(parsed.data);
        total = await lookup.count(parsed.data);
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
      <SearchPage form={form} result={result} total={total} errors={errors} nextHref={nextHref} />,
      errors.length > 0 ? 400 : 200,
    );
  });

  app.get('/i/:uscc', cache, async (c) => {
    const d = await detailOr(c, deps);
    if (d instanceof Response) return d;
    return sendPage(c, <InstitutionPage d={d} qrUrl={`/v1/institutions/${d.uscc}/qr.svg`} />);
  });

  app.get('/i/:uscc/sign', cache, async (c) => {
    const d = await detailOr(c, deps);
    if (d instanceof Response) return d;
    const size = c.req.query('size')?.toUpperCase() === 'A4' ? 'A4' : 'A5';
    return sendPage(c, <SignPage d={d} qrUrl={`/v1/institutions/${d.uscc}/qr.svg`} size={size} />);
  });

  app.get('/publicity', publicCache(CACHE_POLICIES.publicity), async (c) => {
    const cursor = c.req.query('cursor') || undefined;
    try {
      const page = await listPublicity(deps, 50, cursor);
      const nextHref = page.nextCursor
        ? `/publicity?${new URLSearchParams({ cursor: page.nextCursor }).toString()}`
        : null;
      return sendPage(c, <PublicityPage items={page.items} nextHref={nextHref} />);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return sendPage(c, <MessagePage title="翻页参数有误" message="请从第一页重新查看。" />, 400);
    }
  });

  app.get('/objections', (c) => {
    const typed = c.req.query('ref');
    if (typed === undefined || typed.trim() === '') return sendPage(c, <ObjectionLookupPage />);
    const reference = parseReference(typed);
    if (!reference) {
      return sendPage(
        c,
        <ObjectionLookupPage
          typed={typed}
          problem="异议编号为 8 位字母和数字（如 7KQ2-M9XD），请核对后重新输入。"
        />,
        400,
      );
    }
    return c.redirect(`/objections/${reference}`, 303);
  });

  app.get('/objections/:reference', async (c) => {
    try {
      const s = await lookup.objectionStatus(c, c.req.param('reference'));
      c.header('Cache-Control', 'public, max-age=60, s-maxage=60');
      return sendPage(c, <ObjectionStatusPage s={s} />);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const p = problemFor(err);
      if (typeof p.retryAfter === 'number') c.header('Retry-After', String(p.retryAfter));
      const problem =
        p.status === 429
          ? '查询过于频繁，请稍后再试。'
          : p.status === 404
            ? '没有这个编号的异议，请核对后重新输入。'
            : '异议编号为 8 位字母和数字（如 7KQ2-M9XD），请核对后重新输入。';
      return sendPage(
        c,
        <ObjectionLookupPage typed={c.req.param('reference')} problem={problem} />,
        p.status === 429 ? 429 : p.status === 404 ? 404 : 400,
      );
    }
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
