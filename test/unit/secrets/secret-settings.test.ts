import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { handlerWithConfig } from '#shared/secrets/cold-start.ts';
import { loadOnce, withSecretValues } from '#shared/secrets/secret-settings.ts';

const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:CursorSecret-abc';
const secrets = mockClient(SecretsManagerClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => secrets.restore());
afterEach(() => secrets.reset());

const baseEnv = {
  TABLE_NAME: 'credit',
  AWS_REGION: 'cn-north-1',
  PUBLIC_BASE_URL: 'https://credit.example.cn',
  JWT_ISSUER: 'https://id.example.cn',
  JWT_AUDIENCE: 'yimei-credit',
  JWT_JWKS_URL: 'https://id.example.cn/.well-known/jwks.json',
  STAGE: 'prod',
};

describe('the cursor secret', () => {
  it('is read from Secrets Manager once per cold start, however many invocations come', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'k'.repeat(48) });
    const seen: string[] = [];
    const handler = handlerWithConfig(
      (config) => async (n: number) => {
        seen.push(config.CURSOR_SECRET);
        return n * 2;
      },
      { ...baseEnv, CURSOR_SECRET_ARN: ARN },
    );
    expect(await Promise.all([handler(1), handler(2), handler(3)])).toEqual([2, 4, 6]);
    expect(await handler(4)).toBe(8);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
    expect(new Set(seen)).toEqual(new Set(['k'.repeat(48)]));
  });

  it('is retried by the next invocation when the read failed, not cached as a failure', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'k'.repeat(48) });
    const handler = handlerWithConfig((config) => async () => config.CURSOR_SECRET.length, {
      ...baseEnv,
      CURSOR_SECRET_ARN: ARN,
    });
    // The invocation that shared the failed read begun at init reports it; the next one reads again.
    await expect(handler()).rejects.toThrow('throttled');
    await expect(handler()).resolves.toBe(48);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    await handler();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('is taken as it is when CURSOR_SECRET is set (local server, tests), without calling AWS', async () => {
    const env = { ...baseEnv, CURSOR_SECRET: 'local-cursor-secret-0123456789', CURSOR_SECRET_ARN: ARN };
    const client = () => {
      throw new Error('no client expected');
    };
    await expect(withSecretValues(env, client)).resolves.toBe(env);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('reads the origin header secret the same way, in the same cold start', async () => {
    const originArn = `${ARN}-origin`;
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'k'.repeat(48) });
    secrets.on(GetSecretValueCommand, { SecretId: originArn }).resolves({ SecretString: 'o'.repeat(48) });
    const handler = handlerWithConfig((config) => async () => config.ORIGIN_VERIFY_SECRET, {
      ...baseEnv,
      CURSOR_SECRET_ARN: ARN,
      ORIGIN_VERIFY_SECRET_ARN: originArn,
    });
    expect(await Promise.all([handler(), handler()])).toEqual(['o'.repeat(48), 'o'.repeat(48)]);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: originArn });
  });

  it('refuses a secret without a string value', async () => {
    secrets.on(GetSecretValueCommand).resolves({});
    await expect(
      withSecretValues({ CURSOR_SECRET_ARN: ARN }, () => new SecretsManagerClient({})),
    ).rejects.toThrow(/has no string value/);
  });

  it('shares one load between concurrent callers', async () => {
    let loads = 0;
    const once = loadOnce(async () => ++loads);
    expect(await Promise.all([once(), once(), once()])).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });
});
