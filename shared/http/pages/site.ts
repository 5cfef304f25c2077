import type { Context, MiddlewareHandler } from 'hono';
import { createContext } from 'hono/jsx';

/** What every page shows whatever it is about. */
export interface SiteInfo {
  /** ICP filing number (备案号): a site served from mainland China shows it in its footer, linked to MIIT. */
  icpNumber?: string | undefined;
}

/** Read by the page layout while the page renders. */
export const SiteContext = createContext<SiteInfo>({});

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
