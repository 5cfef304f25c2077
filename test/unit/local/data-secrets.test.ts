import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirSecrets, secretsPath } from '#shared/local/data-secrets.ts';
import { localEnvironment } from '../../../scripts/local-env.ts';

describe('the secrets of a local data directory', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'yimei-secrets-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('draws different secrets for two fresh directories, each 256 bits', () => {
    const a = dataDirSecrets(dir());
    const b = dataDirSecrets(dir());
    expect(a.jwtSecret).not.toBe(b.jwtSecret);
    expect(a.cursorSecret).not.toBe(b.cursorSecret);
    expect(a.jwtSecret).not.toBe(a.cursorSecret);
    for (const s of [a.jwtSecret, a.cursorSecret]) expect(Buffer.from(s, 'base64url')).toHaveLength(32);
  });

  it('keeps them across a restart, in a file only its owner can read, with no draft left behind', () => {
    const d = dir();
    const first = dataDirSecrets(d);
    expect(dataDirSecrets(d)).toEqual(first);
    expect(statSync(secretsPath(d)).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['secrets.json']);
  });

  it('makes a copy that lost its mode private again, and refuses a file that holds no secrets', () => {
    const d = dir();
    const first = dataDirSecrets(d);
    chmodSync(secretsPath(d), 0o644);
    expect(dataDirSecrets(d)).toEqual(first);
    expect(statSync(secretsPath(d)).mode & 0o777).toBe(0o600);
    writeFileSync(secretsPath(d), '{"jwtSecret": "short"}');
    expect(() => dataDirSecrets(d)).toThrow(/secrets\.json is not a secrets file/);
  });

  it('is what the local server signs tokens and cursors with (an explicit CURSOR_SECRET still wins)', () => {
    const d = dir();
    const env = localEnvironment({ port: 3000, endpoint: 'http://127.0.0.1:1', dataDir: d });
    const secrets = dataDirSecrets(d);
    expect(env.JWT_SECRET).toBe(secrets.jwtSecret);
    expect(env.CURSOR_SECRET).toBe(process.env.CURSOR_SECRET ?? secrets.cursorSecret);
  });
});
