import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * The secrets of one local data directory: the key local tokens are signed with and the cursor key.
 * Drawn at random the first time the directory is used and kept in it (`secrets.json`, mode 0600), so
 * `npm run token` and `npm start` on the same directory agree, another directory's tokens are refused,
 * and no secret is ever part of the source.
 */
export interface DataSecrets {
  jwtSecret: string;
  cursorSecret: string;
}

const SecretsFile = z.object({
  jwtSecret: z.string().min(32),
  cursorSecret: z.string().min(32),
});

export const secretsPath = (dataDir: string) => join(dataDir, 'secrets.json');

const draw = () => randomBytes(32).toString('base64url');

export function dataDirSecrets(dataDir: string): DataSecrets {
  mkdirSync(dataDir, { recursive: true });
  const path = secretsPath(dataDir);
  // Written whole under another name, then linked into place: of two commands starting on a new
  // directory at once, one links and both read the same complete file.
  const draft = `${path}.${process.pid}.${draw().slice(0, 8)}`;
  writeFileSync(draft, `${JSON.stringify({ jwtSecret: draw(), cursorSecret: draw() }, null, 2)}\n`, {
    mode: 0o600,
  });
  try {
    linkSync(draft, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(draft);
  }
  // A copy that lost its mode (a restore, an archive) is made private again before it is used.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    json = null;
  }
  const parsed = SecretsFile.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${path} is not a secrets file of this service; delete it to draw new secrets`);
  }
  return parsed.data;
}
