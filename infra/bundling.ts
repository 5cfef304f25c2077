import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { rulebook } from '../shared/rulebook/current.ts';

/**
 * How every Lambda handler is bundled: one module, used by the CDK (constructs/service-function.ts),
 * by `npm run bundle` and by the bundle budget test, so the size they print is the size deployed.
 */

/** Each function of the service; the entry is `functions/<name>/handler.ts`. */
export const FUNCTION_NAMES = [
  'public-api',
  'objections-api',
  'admin-api',
  'imports-api',
  'jobs',
  'wechat-sender',
  'sms-sender',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Bundle budgets in bytes (minified ESM, no source map): the public reads are on every cold start.
 * The public function's was 400 KB until it also served the objection status, door sign, procedure and
 * near-me searches and the permission table (422.7 KiB); it now embeds the whole service's OpenAPI document
 * instead of generating one (`npm run bundle -- public-api` prints its size).
 */
export const BUNDLE_BUDGETS: Record<FunctionName, number> = {
  'public-api': 440_000,
  'objections-api': 1_500_000,
  'admin-api': 1_500_000,
  'imports-api': 1_500_000,
  jobs: 1_500_000,
  'wechat-sender': 1_500_000,
  'sms-sender': 1_500_000,
};

export const functionEntry = (name: FunctionName) => `functions/${name}/handler.ts`;

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

/** zod modules the service never calls, kept only by the same whole-namespace reference. */
const UNUSED_ZOD_MODULES = /[\\/]zod[\\/]v4[\\/](core[\\/]compile|classic[\\/]from-json-schema)\.js$/;

/**
 * `z.compile` (the JIT parser) and `z.fromJSONSchema` (~40 KB minified) become functions that throw:
 * every export of the original module is kept by name, so a zod upgrade that adds a form of export this
 * cannot stub fails the build instead of changing behaviour.
 */
export const zodUnusedApis: Plugin = {
  name: 'zod-unused-apis',
  setup(b) {
    b.onLoad({ filter: UNUSED_ZOD_MODULES }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (/^export\s*(\{|\*|default)/m.test(source)) {
        throw new Error(`${args.path}: an export form the zod-unused-apis stub does not handle`);
      }
      const names = [...source.matchAll(/^export\s+(?:const|let|function|class)\s+([A-Za-z_$][\w$]*)/gm)].map(
        (m) => m[1] as string,
      );
      const stub = (name: string) =>
        `export function ${name}() { throw new Error("zod ${name} is not bundled (infra/bundling.ts)"); }`;
      return { contents: names.map(stub).join('\n'), loader: 'js' };
    });
  },
};

/** What exceljs requires for writing workbooks, streaming and CSV: ~560 KB the service never runs. */
const EXCELJS_UNUSED = /^(archiver|unzipper|tmp|fast-csv)$/;

/**
 * The service only reads workbooks, with `Workbook.xlsx.load` (jszip and saxes). exceljs's writer, its
 * streaming reader and its CSV support are replaced by a stub that throws when used, naming the package.
 */
export const exceljsReadOnly: Plugin = {
  name: 'exceljs-read-only',
  setup(b) {
    b.onResolve({ filter: EXCELJS_UNUSED }, (args) =>
      /[\\/]exceljs[\\/]/.test(args.importer) ? { path: args.path, namespace: 'exceljs-unused' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'exceljs-unused' }, (args) => ({
      contents: [
        `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not bundled: workbooks are only read here (infra/bundling.ts)`)}); };`,
        'const stub = new Proxy(function () {}, {',
        // exceljs calls tmp.setGracefulCleanup() when it loads; everything else throws when used.
        "  get: (target, key) => key === 'prototype' ? target.prototype : key === '__esModule' ? undefined : key === 'setGracefulCleanup' ? () => {} : stub,",
        '  apply: fail,',
        '  construct: fail,',
        '});',
        'module.exports = stub;',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * The Atom feed is written with `feed`, which only needs xml-js's writer (js2xml); xml-js's parsers pull
 * in sax (~21 KB). They are replaced by a function that throws, naming the reason, if ever called.
 */
export const xmlWriteOnly: Plugin = {
  name: 'xml-write-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/(xml2js|xml2json)$/ }, (args) =>
      /[\\/]xml-js[\\/]lib[\\/]index\.js$/.test(args.importer)
        ? { path: args.path, namespace: 'xml-js-unused' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'xml-js-unused' }, (args) => ({
      contents: `module.exports = () => { throw new Error(${JSON.stringify(`xml-js ${args.path} is not bundled: XML is only written here (infra/bundling.ts)`)}); };`,
      loader: 'js',
    }));
  },
};

/**
 * The rulebook's validation (its zod schema and loader) serves the synth and the local commands: a
 * bundle starts from the rulebook compiled into it (`BUNDLED_RULEBOOK`). Marked free of side effects,
 * the two modules are left out of any bundle that calls neither, instead of building the schema at
 * each cold start; a bundle that does call them keeps them.
 */
export const rulebookValidationUnused: Plugin = {
  name: 'rulebook-validation-unused',
  setup(b) {
    b.onResolve({ filter: /^\.\/(load|schema)\.ts$/ }, (args) =>
      args.resolveDir.endsWith(join('shared', 'rulebook'))
        ? { path: resolve(args.resolveDir, args.path), sideEffects: false }
        : undefined,
    );
  },
};

/** @hono/zod-openapi's import of the document generators, which only `getOpenAPI(31)Document` use. */
const GENERATOR_IMPORT = /^import \{([^}]*)\} from "@asteasolutions\/zod-to-openapi";$/m;
const GENERATORS = ['OpenApiGeneratorV3', 'OpenApiGeneratorV31'];

/**
 * No function builds an OpenAPI document at run time (the public one serves the embedded document, the
 * others serve none), so zod-to-openapi's generators (~25 KB minified) become classes that throw, naming
 * this module; its registry and zod extension, which every route uses, are kept. An upgrade that changes
 * the import fails the build instead of bundling the generators again.
 */
export const openApiGeneratorsUnused: Plugin = {
  name: 'openapi-generators-unused',
  setup(b) {
    b.onLoad({ filter: /[\\/]@hono[\\/]zod-openapi[\\/]dist[\\/]index\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const names = GENERATOR_IMPORT.exec(source)?.[1]
        ?.split(',')
        .map((n) => n.trim());
      if (!names || !GENERATORS.every((g) => names.includes(g))) {
        throw new Error(`${args.path}: the import openapi-generators-unused rewrites has changed`);
      }
      const kept = names.filter((n) => !GENERATORS.includes(n));
      const stub = (name: string) =>
        `class ${name} { constructor() { throw new Error("the OpenAPI ${name} is not bundled (infra/bundling.ts)"); } }`;
      const contents = source.replace(
        GENERATOR_IMPORT,
        [
          `import { ${kept.join(', ')} } from "@asteasolutions/zod-to-openapi";`,
          ...GENERATORS.map(stub),
        ].join('\n'),
      );
      return { contents, loader: 'js' };
    });
  },
};

const documents = new Map<string, Promise<string>>();

/**
 * The public function serves `/openapi.json` and `/docs` for the whole service, yet bundles only the
 * public routes: the document of every function's operations is built here, as the local server builds
 * it (scripts/openapi-document.ts), and compiled in compressed (`SERVICE_OPENAPI_BROTLI`, ~20 KB), so the
 * bundle carries no document generation. Built once per rulebook (its wording is in the document).
 */
export const embeddedServiceDocument: Plugin = {
  name: 'embedded-service-document',
  async setup(b) {
    const entries = Object.values(b.initialOptions.entryPoints ?? {}).map((e) =>
      resolve(typeof e === 'string' ? e : e.in),
    );
    if (!entries.some((e) => e.endsWith(join('functions', 'public-api', 'handler.ts')))) return;
    const key = JSON.stringify(rulebook());
    let encoded = documents.get(key);
    if (!encoded) {
      encoded = (async () => {
        const { serviceOpenApiDocument } = await import('../scripts/openapi-document.ts');
        const { embeddable } = await import('../shared/http/embedded-document.ts');
        return embeddable(await serviceOpenApiDocument());
      })();
      documents.set(key, encoded);
    }
    b.initialOptions.define = {
      ...b.initialOptions.define,
      SERVICE_OPENAPI_BROTLI: JSON.stringify(await encoded),
    };
  },
};

/**
 * The esbuild options of one handler: ESM for Node 22, minified, no source map (it would need
 * --enable-source-maps at runtime, which slows cold starts and every stack trace). `@aws-sdk/*` is
 * left to the SDK v3 the Lambda Node.js runtime provides: bundled, it would add ~340 KB to every function.
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
    sourcemap: false,
    legalComments: 'none',
    // Chinese text as UTF-8 (3 bytes a character), not as \u escapes (6).
    charset: 'utf8',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    plugins: [
      zodEnglishOnly,
      zodUnusedApis,
      exceljsReadOnly,
      xmlWriteOnly,
      rulebookValidationUnused,
      embeddedServiceDocument,
      openApiGeneratorsUnused,
    ],
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS dependencies may still `require` Node built-ins; ESM output has none unless made.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    // The city's rulebook (one deployment per city), as this process validated it: the synth's choice
    // when it handed one over in RULEBOOK_JSON, else the default. Compiled in parsed, so the functions
    // neither validate it at each cold start nor carry the rulebook schema (shared/rulebook/current.ts).
    define: { BUNDLED_RULEBOOK: JSON.stringify(JSON.stringify(rulebook())) },
  };
}
