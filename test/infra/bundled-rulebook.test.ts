import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULEBOOK_PATH, installRulebook, rulebook } from '#shared/rulebook/current.ts';
import { loadRulebookFile } from '#shared/rulebook/load.ts';
import { functionEntry, lambdaBuildOptions } from '../../infra/bundling.ts';

/** The public function as the CDK bundles it, in memory. */
async function publicBundle(): Promise<string> {
  const out = await build({
    ...lambdaBuildOptions(functionEntry('public-api'), 'index.mjs'),
    write: false,
    metafile: false,
  });
  return out.outputFiles[0]?.text ?? '';
}

describe('the rulebook in a bundle', () => {
  afterEach(() => installRulebook(loadRulebookFile(DEFAULT_RULEBOOK_PATH)));

  it('is the one the bundling process validated, compiled in parsed, with neither the schema nor the loader', async () => {
    installRulebook(loadRulebookFile('rulebooks/ningbo.json'));
    const code = await publicBundle();
    expect(code).toContain('"id":"ningbo"');
    expect(code).toContain(`"name":"${rulebook().city.name}"`);
    expect(code).not.toContain('"id":"hangzhou"');
    // Messages only the rulebook's schema and its loader carry.
    expect(code).not.toContain('expected a calendar date YYYY-MM-DD');
    expect(code).not.toContain('invalid rulebook');
  }, 60_000);
});
