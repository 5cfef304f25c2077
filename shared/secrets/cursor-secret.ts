import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

type Env = Record<string, string | undefined>;

/**
 * The environment the configuration is parsed from, with CURSOR_SECRET filled in from Secrets Manager
 * when the deployment gives only CURSOR_SECRET_ARN (the secret never sits in the function's
 * configuration). A CURSOR_SECRET already set (the local server, tests) is used as it is.
 */
export async function withCursorSecret(env: Env, client: () => SecretsManagerClient): Promise<Env> {
  if (env.CURSOR_SECRET || !env.CURSOR_SECRET_ARN) return env;
  const out = await client().send(new GetSecretValueCommand({ SecretId: env.CURSOR_SECRET_ARN }));
  if (!out.SecretString) throw new Error(`secret ${env.CURSOR_SECRET_ARN} has no string value`);
  return { ...env, CURSOR_SECRET: out.SecretString };
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
