import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerCredentials } from '#shared/notify/secrets.ts';

const secrets = mockClient(SecretsManagerClient);
// The mock patches the client class itself: put it back for the files that run after this one.
afterAll(() => secrets.restore());

describe('secretsManagerCredentials', () => {
  beforeEach(() => secrets.reset());

  it('reads the app id and secret once and caches them until the TTL runs out', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ appId: 'wx123', appSecret: 's3cr3t' }) });
    let now = 0;
    const credentials = secretsManagerCredentials(
      new SecretsManagerClient({ region: 'cn-north-1' }),
      'wechat/app',
      {
        ttlMs: 1000,
        now: () => now,
      },
    );
    expect(await credentials()).toEqual({ appId: 'wx123', appSecret: 's3cr3t' });
    await credentials();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'wechat/app' });
    now = 1001;
    await credentials();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('refuses a secret without the expected fields, without echoing it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ appId: 'wx123' }) });
    const credentials = secretsManagerCredentials(
      new SecretsManagerClient({ region: 'cn-north-1' }),
      'wechat/app',
    );
    await expect(credentials()).rejects.toThrow(/lacks appId or appSecret/);
  });
});
