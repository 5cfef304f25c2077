import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resourcesOf, Template, testDeployment } from '#test/support/infra.ts';
import { BUNDLE_BUDGETS, FUNCTION_NAMES, type FunctionName } from '../../infra/bundling.ts';

const STATELESS = 'YimeiCreditStateless';

describe('full synth with bundling', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('bundles every function of the stateless stack with local esbuild into one ESM file within its budget', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'yimei-synth-'));
    dirs.push(outdir);
    const { app, stateless } = testDeployment({
      bundling: true,
      outdir,
      context: { 'aws:cdk:bundling-stacks': [STATELESS] },
    });
    const assembly = app.synth();
    expect(assembly.getStackByName(stateless.stackName).template).toBeDefined();

    const functions = resourcesOf(Template.fromStack(stateless), 'AWS::Lambda::Function').filter(([, f]) =>
      JSON.stringify(f.Properties).includes('POWERTOOLS_SERVICE_NAME'),
    );
    expect(functions).toHaveLength(FUNCTION_NAMES.length);
    const bundles = new Set<string>();
    for (const [id, fn] of functions) {
      // The code's S3 key is the asset hash; the assembly keeps the bundle under asset.<hash>/.
      const key = String((fn.Properties.Code as { S3Key?: unknown }).S3Key);
      expect(key, id).toMatch(/^[0-9a-f]{64}\.zip$/);
      const bundle = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(existsSync(bundle), bundle).toBe(true);
      expect(statSync(bundle).size).toBeGreaterThan(0);
      const code = readFileSync(bundle, 'utf8');
      expect(code).toContain('createRequire');
      bundles.add(code);
      // The asset deployed, measured against the budget `npm run bundle` prints (infra/bundling.ts).
      const service = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables
        .POWERTOOLS_SERVICE_NAME as FunctionName;
      expect(statSync(bundle).size, service).toBeLessThanOrEqual(BUNDLE_BUDGETS[service]);
      expect(fn.Properties.Handler).toBe('index.handler');
    }
    // Each function its own code, not one bundle shared by all.
    expect(bundles.size).toBe(FUNCTION_NAMES.length);
  }, 300_000);
});
