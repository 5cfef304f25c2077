import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { WeChatCredentials } from './wechat.ts';

const WeChatSecretSchema = z.object({
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  /** The approved template message id, when it is not configured as WECHAT_TEMPLATE_ID. */
  templateId: z.string().min(1).optional(),
});

/**
 * Reads the Official Account's `{"appId", "appSecret", "templateId"?}` from Secrets Manager, once per `ttlMs`
 * (a rotated secret is picked up without a redeploy). The client is created once and injected.
 */
export function secretsManagerCredentials(
  client: SecretsManagerClient,
  secretId: string,
  opts: { ttlMs?: number; now?: () => number } = {},
): () => Promise<WeChatCredentials> {
  const ttl = opts.ttlMs ?? 15 * 60_000;
  const now = opts.now ?? Date.now;
  let cached: { value: WeChatCredentials; until: number } | null = null;
  return async () => {
    if (cached && cached.until > now()) return cached.value;
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    let json: unknown;
    try {
      json = JSON.parse(out.SecretString ?? '');
    } catch {
      throw new Error(`secret ${secretId} is not JSON {"appId", "appSecret"}`);
    }
    const parsed = WeChatSecretSchema.safeParse(json);
    if (!parsed.success) throw new Error(`secret ${secretId} lacks appId or appSecret`);
    cached = { value: parsed.data, until: now() + ttl };
    return parsed.data;
  };
}
