import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Plugin } from 'esbuild';

/**
 * How a Lambda handler is bundled (ESM, Node 22, minified), and `npm run bundle`, which writes the public
 * API's bundle to dist/public-api/index.mjs and prints its size.
 */

/**
 * zod's 40-odd message locales (~250 KB minified) are reachable only because @hono/zod-openapi hands the
 * whole `z` namespace to extendZodWithOpenApi, which defeats tree shaking. The service uses English
 * messages only, so the locale index is replaced by one that re-exports `en`.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: resolve(dirname(args.importer), '../locales/index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * The AWS SDK v3 is left out (`@aws-sdk/*` external), as the CDK's NodejsFunction does by default for
 * Node 18+: the Lambda runtime provides it, and bundling it would add ~500 KB to every cold start.
 */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    plugins: [zodEnglishOnly],
    metafile: true,
    // Bundled CommonJS dependencies may still `require` Node built-ins.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  };
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the public API handler to `outfile` and returns its size in bytes. */
export async function bundlePublicApi(outfile = join(root, 'dist/public-api/index.mjs')): Promise<number> {
  mkdirSync(dirname(outfile), { recursive: true });
  await build(lambdaBuildOptions(join(root, 'functions/public-api/handler.ts'), outfile));
  return statSync(outfile).size;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const size = await bundlePublicApi();
  console.log(`dist/public-api/index.mjs: ${(size / 1024).toFixed(1)} KiB`);
}
