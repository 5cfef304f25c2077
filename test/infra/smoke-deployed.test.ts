import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGETS, FUNCTION_NAMES, type FunctionName } from '../../infra/bundling.ts';
import { type Check, operationsOf, smokeProfile } from '../../scripts/smoke/harness.ts';
import { SMOKE_DIR, startSmokeWorld, synthesise } from '../../scripts/smoke/run.ts';
import { resourcesOf, routesOf, type Synthesised, type Template } from '../../scripts/smoke/templates.ts';

/**
 * `npm run smoke:deployed` in the suite: both profiles synthesised once with their functions bundled
 * (each entry once), every uploaded bundle loaded with its template's environment and driven with the
 * events of its trigger. The same run with a route taken out of a template, or a variable out of a
 * function's environment, must fail on exactly that.
 */
const dir = join(SMOKE_DIR, `test-${process.pid}`);
let world: Awaited<ReturnType<typeof startSmokeWorld>>;
const profiles = {} as Record<'global' | 'china', Synthesised>;

beforeAll(async () => {
  profiles.global = synthesise('global', dir);
  profiles.china = synthesise('china', dir);
  world = await startSmokeWorld();
}, 300_000);

afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

const failures = (checks: Check[]) => checks.filter((c) => !c.ok);

/** The profile with its templates changed by `change` (on a copy). */
function mutated(syn: Synthesised, change: (resources: Template['Resources']) => void): Synthesised {
  const templates = structuredClone(syn.templates);
  const resources = resourcesOf(templates);
  change(resources);
  // What `change` deleted leaves its template too.
  for (const t of Object.values(templates)) {
    for (const id of Object.keys(t.Resources)) if (!(id in resources)) delete t.Resources[id];
  }
  return { ...syn, templates };
}

/** The logical id of the service function named `service`. */
function functionId(syn: Synthesised, service: FunctionName): string {
  const found = Object.entries(resourcesOf(syn.templates)).find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' &&
      JSON.stringify(r.Properties?.Environment ?? {}).includes(`"POWERTOOLS_SERVICE_NAME":"${service}"`),
  );
  if (!found) throw new Error(`no function ${service}`);
  return found[0];
}

describe('the synthesised profiles, run as deployed', () => {
  it.each(['global', 'china'] as const)(
    '%s: every operation, route, schedule and queue reaches a function that serves it',
    async (name) => {
      const checks = await smokeProfile(profiles[name], world);
      expect(failures(checks)).toEqual([]);
      // Every operation of the service's document was sent through the front door.
      const operations = operationsOf(world.document);
      expect(operations.length).toBeGreaterThan(40);
      for (const op of operations) {
        expect(
          checks.some((c) => c.what.startsWith(`${op.method} ${op.path} `)),
          `${op.method} ${op.path}`,
        ).toBe(true);
      }
      expect(checks.filter((c) => c.what.startsWith('schedule '))).toHaveLength(8);
      expect(checks.filter((c) => /takes an SQS batch \([1-9]/.test(c.what))).toHaveLength(2);
    },
    120_000,
  );

  it('deploys each function as its own bundle, within its budget, from the assembly', () => {
    const resources = resourcesOf(profiles.global.templates);
    const bundles = new Set<string>();
    for (const name of FUNCTION_NAMES) {
      const code = resources[functionId(profiles.global, name)]?.Properties?.Code as { S3Key?: string };
      expect(code.S3Key, name).toMatch(/^[0-9a-f]{64}\.zip$/);
      const bundle = join(
        profiles.global.assemblyDir,
        `asset.${code.S3Key?.replace(/\.zip$/, '')}`,
        'index.mjs',
      );
      expect(existsSync(bundle), bundle).toBe(true);
      expect(statSync(bundle).size, name).toBeLessThanOrEqual(BUNDLE_BUDGETS[name]);
      bundles.add(readFileSync(bundle, 'utf8'));
    }
    expect(bundles.size).toBe(FUNCTION_NAMES.length);
  });

  it('fails when a route is removed from the HTTP API', async () => {
    const key = 'POST /v1/publicity/{resultId}/objections';
    const syn = mutated(profiles.global, (resources) => {
      const [id] = Object.entries(resources).find(([, r]) => r.Properties?.RouteKey === key) ?? [];
      expect(id).toBeDefined();
      delete resources[id as string];
    });
    expect(failures(await smokeProfile(syn, world))).toEqual([
      { profile: 'global', what: `${key} is routed`, ok: false, detail: 'reaches only the catch-all' },
    ]);
  }, 60_000);

  it("fails when a method is removed from the China API's resource tree", async () => {
    const syn = mutated(profiles.china, (resources) => {
      const route = routesOf(profiles.china.templates).find(
        (r) => r.via === 'rest-api' && r.path === '/v1/publicity/{resultId}/objections',
      );
      const [id] =
        Object.entries(resources).find(
          ([, r]) =>
            r.Type === 'AWS::ApiGateway::Method' &&
            JSON.stringify(r.Properties?.Integration).includes(`"${route?.fnId}"`),
        ) ?? [];
      expect(id).toBeDefined();
      delete resources[id as string];
    });
    const failed = failures(await smokeProfile(syn, world));
    // The objection now reaches the read-only function, which has no such route.
    expect(failed.map((c) => c.what)).toEqual([
      'POST /v1/publicity/{resultId}/objections → public-api (rest-api) serves it',
    ]);
    expect(failed[0]?.detail).toMatch(/^40[45] /);
  }, 60_000);

  it.each(['global', 'china'] as const)(
    "%s: fails when a function's environment loses a variable",
    async (name) => {
      const syn = mutated(profiles[name], (resources) => {
        const fn = resources[functionId(profiles[name], 'admin-api')] as unknown as {
          Properties: { Environment: { Variables: Record<string, unknown> } };
        };
        const env = fn.Properties.Environment.Variables;
        expect(env.TABLE_NAME).toBeDefined();
        delete env.TABLE_NAME;
      });
      const failed = failures(await smokeProfile(syn, world));
      // Every operation of the admin function fails, naming the variable; nothing else fails.
      const admin = operationsOf(world.document).filter(
        (op) => op.secured && !op.path.startsWith('/v1/admin/imports'),
      );
      expect(failed.length).toBeGreaterThanOrEqual(admin.length);
      for (const c of failed) {
        expect(c.what, JSON.stringify(c)).toMatch(/admin-api/);
        expect(c.detail).toMatch(/invalid configuration: TABLE_NAME/);
      }
    },
    60_000,
  );
});
