import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, DataDirLockedError, lockPath, readDataLock } from '#shared/local/data-lock.ts';

describe('the data directory lock', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'yimei-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('lets one holder in and names it to the next, in one line', () => {
    const d = dir();
    const lock = acquireDataLock(d, 'npm start', { server: true, startedAt: '2026-12-01T10:00:00+08:00' });
    lock.update({ url: 'http://localhost:3000' });
    let refused: unknown;
    try {
      acquireDataLock(d, 'npm run job');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    const message = (refused as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toBe(
      `data directory ${d} is in use by npm start (pid ${process.pid} at http://localhost:3000, since 2026-12-01T10:00:00+08:00); stop it or use --data DIR`,
    );
    lock.release();
    expect(existsSync(lockPath(d))).toBe(false);
    acquireDataLock(d, 'npm run job').release();
  });

  it('keeps the server secret readable by its owner only', () => {
    const d = dir();
    const lock = acquireDataLock(d, 'npm start', { server: true });
    try {
      expect(lock.holder.secret).toMatch(/^[\w-]{32}$/);
      expect(readDataLock(d)?.secret).toBe(lock.holder.secret);
      expect(statSync(lockPath(d)).mode & 0o077).toBe(0);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock left by a process that has died', () => {
    const d = dir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockPath(d), JSON.stringify({ pid: gone, command: 'npm start', startedAt: 'earlier' }));
    expect(readDataLock(d)).toBeUndefined();
    const lock = acquireDataLock(d, 'npm run job');
    expect(JSON.parse(readFileSync(lockPath(d), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});
