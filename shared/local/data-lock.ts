import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One process at a time owns a local data directory: its database is a single-process store (LevelDB),
 * so a second opener would die with "Database is closed". The owner writes `lock.json` (mode 0600) saying
 * who it is; a running server also writes its URL and a secret with which `npm run job` runs a job
 * through it instead of opening the database.
 */
export interface LockHolder {
  pid: number;
  /** The command that holds the directory, e.g. `npm start`. */
  command: string;
  startedAt: string;
  /** Set by a server once it listens. */
  url?: string;
  /** Set by a server: the bearer secret of its `/dev/jobs` endpoint. */
  secret?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(describeHolder(dataDir, holder));
    this.name = 'DataDirLockedError';
  }
}

export interface DataLock {
  readonly holder: LockHolder;
  /** Records more about the holder (a server's URL once it listens). */
  update(patch: Partial<Pick<LockHolder, 'url'>>): void;
  release(): void;
}

export const lockPath = (dataDir: string) => join(dataDir, 'lock.json');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the directory, if any; a lock left by a process that died does not count. */
export function readDataLock(dataDir: string): LockHolder | undefined {
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
  return typeof holder.pid === 'number' && alive(holder.pid) ? holder : undefined;
}

/** One line: who holds the directory and what to do instead. */
export function describeHolder(dataDir: string, holder: LockHolder): string {
  const where = holder.url ? ` at ${holder.url}` : '';
  return `data directory ${dataDir} is in use by ${holder.command} (pid ${holder.pid}${where}, since ${holder.startedAt}); stop it or use --data DIR`;
}

function write(path: string, holder: LockHolder) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Takes the directory for this process or throws DataDirLockedError naming the holder. Creation is
 * exclusive (`wx`), so of two commands started together exactly one wins. The lock goes when the
 * process exits, however it exits.
 */
export function acquireDataLock(
  dataDir: string,
  command: string,
  opts: { server?: boolean; startedAt?: string } = {},
): DataLock {
  const path = lockPath(dataDir);
  const holder: LockHolder = {
    pid: process.pid,
    command,
    startedAt: opts.startedAt ?? new Date().toISOString(),
    ...(opts.server ? { secret: randomBytes(24).toString('base64url') } : {}),
  };
  // Written whole beside the lock, then linked into place: the link fails if the lock exists, and a
  // reader never sees a half-written file.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const current = readDataLock(dataDir);
        if (current) throw new DataDirLockedError(dataDir, current);
        if (attempt > 0) throw err;
        // Left by a process that died: clear it once and try again.
        try {
          unlinkSync(path);
        } catch {
          // someone else cleared it first
        }
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (readDataLock(dataDir)?.pid === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', release);
  return {
    holder,
    update(patch) {
      Object.assign(holder, patch);
      write(path, holder);
    },
    release,
  };
}
