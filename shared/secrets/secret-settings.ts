import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

type Env = Record<string, string | undefined>;

/**
 * The settings a deployment gives by secret ARN (`<NAME>_ARN`) rather than by value, so no secret sits in
 * a function's configuration: the cursor key, and the header CloudFront proves itself with.
 */
export const SECRET_SETTINGS = ['CURSOR_SECRET', 'ORIGIN_VERIFY_SECRET'] as const;

/**
 * The environment the configuration is parsed from, with each SECRET_SETTINGS value read from Secrets
 * Manager when only its ARN is configured. A value already set (the local server, tests) is used as it is.
 */
export async function withSecretValues(env: Env, client: () => SecretsManagerClient): Promise<Env> {
  const missing = SECRET_SETTINGS.filter((name) => !env[name] && env[`${name}_ARN`]);
  if (missing.length === 0) return env;
  const sm = client();
  const values = await Promise.all(
    missing.map(async (name) => {
      const arn = env[`${name}_ARN`];
      const out = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
      if (!out.SecretString) throw new Error(`secret ${arn} has no string value`);
      return [name, out.SecretString] as const;
    }),
  );
  return { ...env, ...Object.fromEntries(values) };
}

/**
 * `load` run once and its promise shared by every caller; a failed load is forgotten, so the next
 * invocation tries again instead of the instance failing for the rest of its life.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    if (!pending) {
      pending = load();
      pending.catch(() => {
        pending = null;
      });
    }
    return pending;
  };
}
