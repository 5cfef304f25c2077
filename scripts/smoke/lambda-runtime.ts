import { createHash } from 'node:crypto';
import dns from 'node:dns';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** What one invocation gave: the handler's result, or what it threw, with what it logged. */
export interface Invocation {
  ok: boolean;
  result?: unknown;
  error?: string;
  logs: string[];
}

/** A function as the runtime loads it: its bundle (`index.mjs`, handler `index.handler`) and environment. */
export interface LambdaFunction {
  name: string;
  file: string;
  env: Record<string, string>;
}

/** What the host process keeps while a function runs: what Node and the test runner need, nothing it configures. */
const HOST_VARIABLES =
  /^(PATH|HOME|TMPDIR|TEMP|TMP|LANG|LC_.*|TERM|TZ|NODE_.*|VITEST.*|FORCE_COLOR|NO_COLOR|CI)$/;

// Node's own loader, not one a test runner rewrites: the bundle is loaded as Node loads it on Lambda, its
// `@aws-sdk/*` imports resolved from node_modules as the runtime provides them. An ES module without
// top-level await can be required (Node ≥ 20.19), which needs no dynamic-import hook from the host.
const nodeRequire = createRequire(import.meta.url);

/**
 * Lambda execution environments in this process, one per function and environment: the bundle is
 * imported once (its cold start), then invoked one event at a time. While a function loads or runs,
 * `process.env` is exactly its environment (plus what Node needs) and its console output is kept with
 * the invocation; invocations never overlap, so no function sees another's variables. The SDK modules are
 * shared between them, which is what makes this cheaper than a worker or process per function.
 */
export class LambdaRuntime {
  private readonly loaded = new Map<string, Promise<{ handler?: unknown; error?: string; logs: string[] }>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lookup = dns.lookup;
  private readonly fetch = globalThis.fetch;

  /** `s3Endpoint`: where the functions' own S3 requests go (presigned URLs they build to the bucket's host). */
  constructor(s3Endpoint: string) {
    // The local stand-ins answer on 127.0.0.1; a virtual-hosted S3 name under localhost resolves there too.
    const lookup = this.lookup;
    (dns as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) =>
      (lookup as (...a: unknown[]) => void)(host.endsWith('.localhost') ? '127.0.0.1' : host, ...rest);
    // A bucket's regional host (`<bucket>.s3.<region>.amazonaws.com[.cn]`) reaches the local S3, path-style.
    const fetch = this.fetch;
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const bucket = /^([^.]+)\.s3[.-][^/]*amazonaws\.com(\.cn)?$/.exec(url.hostname)?.[1];
      return fetch(bucket ? `${s3Endpoint}/${bucket}${url.pathname}${url.search}` : input, init);
    };
  }

  /** Runs `event` through the function's handler, loading its bundle first if this environment is new. */
  invoke(fn: LambdaFunction, event: unknown): Promise<Invocation> {
    const run = this.queue.then(() => this.invokeNow(fn, event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async invokeNow(fn: LambdaFunction, event: unknown): Promise<Invocation> {
    const id = createHash('sha256')
      .update(JSON.stringify([fn.file, fn.env]))
      .digest('hex')
      .slice(0, 16);
    let module = this.loaded.get(id);
    if (!module) {
      module = this.within(fn.env, async () => {
        if (!existsSync(fn.file)) throw new Error(`no bundle at ${fn.file}`);
        // A byte-for-byte copy beside it per environment: a module is evaluated once per file.
        const copy = fn.file.replace(/\.mjs$/, `.${id}.mjs`);
        copyFileSync(fn.file, copy);
        return nodeRequire(copy);
      }).then(({ ok, result, error, logs }) => ({
        handler: ok ? (result as { handler?: unknown }).handler : undefined,
        ...(ok ? {} : { error }),
        logs,
      }));
      this.loaded.set(id, module);
    }
    const { handler, error, logs: startLogs } = await module;
    if (error) return { ok: false, error: `cold start: ${error}`, logs: startLogs };
    if (typeof handler !== 'function') return { ok: false, error: 'the bundle exports no handler', logs: [] };
    const context = {
      functionName: fn.name,
      awsRequestId: crypto.randomUUID(),
      getRemainingTimeInMillis: () => 30_000,
      callbackWaitsForEmptyEventLoop: false,
    };
    const out = await this.within(fn.env, async () => handler(event, context));
    // What crosses the wire back from Lambda is JSON.
    return out.ok ? { ...out, result: JSON.parse(JSON.stringify(out.result ?? null)) } : out;
  }

  /** Runs `work` with `env` as the process environment and the console captured. */
  private async within(env: Record<string, string>, work: () => Promise<unknown>): Promise<Invocation> {
    const saved = { ...process.env };
    const consoleSaved = { ...console };
    const logs: string[] = [];
    for (const key of Object.keys(process.env)) if (!HOST_VARIABLES.test(key)) delete process.env[key];
    Object.assign(process.env, env);
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      console[level] = (...args: unknown[]) => {
        logs.push(args.map(String).join(' '));
      };
    }
    try {
      return { ok: true, result: await work(), logs };
    } catch (err) {
      const text = String((err as Error)?.stack ?? err);
      return { ok: false, error: text.split('\n').slice(0, 3).join(' | '), logs };
    } finally {
      for (const key of Object.keys(process.env)) delete process.env[key];
      Object.assign(process.env, saved);
      Object.assign(console, consoleSaved);
    }
  }

  close(): void {
    (dns as { lookup: unknown }).lookup = this.lookup;
    globalThis.fetch = this.fetch;
  }
}
