import { describe, expect, it } from 'vitest';
import { SCHEDULED_JOBS } from '#shared/schemas/job-event.ts';
import {
  FUNCTIONS,
  IMPORT_ROUTE,
  ROUTE_BODY_CAPS,
  ROUTE_LIMITS,
  ROUTES,
  SCHEDULES,
  uncachedPathPatterns,
} from '../../infra/catalogue.ts';

describe('the route and function catalogue', () => {
  it('gives CloudFront one never-cached behaviour per family of non-public routes, in catalogue order', () => {
    expect(uncachedPathPatterns()).toEqual([
      '/v1/admin/*',
      '/v1/institutions/*/upgrade-applications',
      '/v1/institutions/*/contacts',
      '/v1/publicity/*/objections',
    ]);
    // Every non-public route falls under one of them.
    const glob = (p: string) => new RegExp(`^${p.replace(/\*/g, '.*')}$`);
    for (const r of ROUTES.filter((r) => r.fn !== 'public-api')) {
      const sample = r.path.replace(/\{proxy\+\}/, 'a/b').replace(/\{[^}]+\}/g, 'x');
      expect(
        uncachedPathPatterns().some((p) => glob(p).test(sample)),
        r.path,
      ).toBe(true);
    }
  });

  it('leaves the import to its own body cap inside the admin JSON cap, the import first', () => {
    expect(ROUTE_BODY_CAPS.map((c) => c.name)).toEqual([
      'Import',
      'AdminJson',
      'UpgradeApplication',
      'Objection',
    ]);
    expect(ROUTE_BODY_CAPS.find((c) => c.name === 'AdminJson')?.except).toEqual([IMPORT_ROUTE]);
  });

  it('throttles every method of a throttled route', () => {
    expect(Object.keys(ROUTE_LIMITS).sort()).toEqual(
      [
        'POST /v1/publicity/{resultId}/objections',
        ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => `${m} /v1/admin/{proxy+}`),
      ].sort(),
    );
  });

  it('routes only to functions invoked over HTTP, and schedules every scheduled job', () => {
    const http = new Set(FUNCTIONS.filter((f) => f.trigger === 'http').map((f) => f.name));
    expect(new Set(ROUTES.map((r) => r.fn))).toEqual(http);
    expect(SCHEDULES.map((s) => s.job).sort()).toEqual([...SCHEDULED_JOBS].sort());
  });
});
