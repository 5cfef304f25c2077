import type { Context, MiddlewareHandler } from 'hono';

/** What every page shows whatever it is about. */
export interface SiteInfo {
  /** ICP filing number (备案号): a site served from mainland China shows it in its footer, linked to MIIT. */
  icpNumber?: string | undefined;
}

/**
 * The site information of the page being rendered, read by its layout. Pages render synchronously to
 * a string, so one value set around the render is enough; Hono's JSX context would bring its DOM
 * renderer into every bundle that renders a page (~15 KB of the public function).
 */
let rendering: SiteInfo = {};

/** Renders `render()` with `site` as the site information its layout reads. */
export function withSite<T>(site: SiteInfo, render: () => T): T {
  const outer = rendering;
  rendering = site;
  try {
    return render();
  } finally {
    rendering = outer;
  }
}

/** The site information of the page being rendered. */
export function currentSite(): SiteInfo {
  return rendering;
}

type SiteEnv = { Variables: { site: SiteInfo } };

/** Puts the site information on every request, for whichever route renders a page. */
export function siteInfo(site: SiteInfo): MiddlewareHandler<SiteEnv> {
  return async (c, next) => {
    c.set('site', site);
    await next();
  };
}

/** The site information of this request (none outside the app, e.g. in a route's own test). */
export function siteOf(c: Context): SiteInfo {
  return (c as Context<SiteEnv>).get('site') ?? {};
}
