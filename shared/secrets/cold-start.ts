import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Config, loadConfig } from '../config.ts';
import { loadOnce, withSecretValues } from './secret-settings.ts';

/**
 * A Lambda handler whose configuration needs secrets (the cursor key, the origin header): they are read and the handler
 * built once, starting at cold start; every invocation awaits that one promise.
 */
export function handlerWithConfig<A extends unknown[], R>(
  build: (config: Config) => (...args: A) => R | Promise<R>,
  env: Record<string, string | undefined> = process.env,
): (...args: A) => Promise<R> {
  const ready = loadOnce(async () => {
    const resolved = await withSecretValues(env, () => new SecretsManagerClient({ region: env.AWS_REGION }));
    return build(loadConfig(resolved));
  });
  // Begun during the init phase; a failure is retried by the first invocation, which then reports it.
  void ready();
  return async (...args) => (await ready())(...args);
}
