/**
 * Saving a key store must never leave a half-written file: the operator's production
 * key.kdb is the one thing they cannot lose. Write to a temporary file in the same
 * folder, fsync it, keep the previous file as `<name>.bak`, then rename over the target
 * (atomic on POSIX and on NTFS for same-volume renames).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { KeyDeskError } from '../errors';

export interface AtomicWriteOptions {
  /** File mode for a new file (stash files: 0o600). */
  mode?: number;
  /** Keep the file being replaced as `<path>.bak` (default true). */
  backup?: boolean;
  /** SHA-256 of the file as it was opened: refuse to overwrite it if it changed since. */
  expectedDigest?: string;
}

export function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of the file now on disk, or undefined when there is none. */
export function digestOfFile(path: string): string | undefined {
  return existsSync(path) ? digestOf(readFileSync(path)) : undefined;
}

const lockPath = (path: string) => `${path}.lock`;
const tempPrefix = (path: string) => `.${basename(path)}.`;

/** Whether a lock file names a process that is still running on this machine. */
function lockIsLive(path: string): boolean {
  let owner: { pid?: number; host?: string };
  try {
    owner = JSON.parse(readFileSync(lockPath(path), 'utf8'));
  } catch {
    return false; // unreadable or half-written: its writer died before finishing it
  }
  if (owner.host !== hostname() || typeof owner.pid !== 'number') return true; // cannot tell; be safe
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer at a time per store, across processes: `<path>.lock` holds the writer's pid.
 * A lock left by a process that died (kill -9) is taken over.
 */
function acquireLock(path: string): () => void {
  const file = lockPath(path);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new KeyDeskError('io', `could not write ${path}: ${code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message}`);
      if (lockIsLive(path)) {
        throw new KeyDeskError('conflict', `${path} is being saved by another KeyDesk right now; nothing was written. Try again in a moment.`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new KeyDeskError('conflict', `${path} is locked (${file}); nothing was written.`);
}

/**
 * Temporary files a killed save left beside `path`. Removed when no live save holds the
 * lock; never fails the caller (a read-only folder just keeps them).
 */
export function removeStaleTemporaryFiles(path: string): void {
  try {
    if (existsSync(lockPath(path)) && lockIsLive(path)) return;
    const prefix = tempPrefix(path);
    for (const name of readdirSync(dirname(path))) {
      if (name.startsWith(prefix) && (name.endsWith('.tmp') || name.endsWith('.tmp.bak'))) rmSync(join(dirname(path), name), { force: true });
    }
  } catch {
    // Cleaning up is a courtesy; reading the store must not depend on it.
  }
}

export function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): void {
  const { mode = 0o600, backup = true, expectedDigest } = options;
  const release = acquireLock(path);
  try {
    writeLocked(path, bytes, mode, backup, expectedDigest);
  } finally {
    release();
  }
}

function writeLocked(path: string, bytes: Uint8Array, mode: number, backup: boolean, expectedDigest: string | undefined): void {
  if (expectedDigest !== undefined && digestOfFile(path) !== expectedDigest) {
    throw new KeyDeskError(
      'conflict',
      `${path} changed on disk since it was opened; nothing was written. Open it again to see the other change.`,
    );
  }
  const temp = join(dirname(path), `${tempPrefix(path)}${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (backup && existsSync(path)) {
      // The .bak itself goes through a temporary file, so a kill leaves a whole one.
      const bakTemp = `${temp}.bak`;
      copyFileSync(path, bakTemp);
      renameSync(bakTemp, `${path}.bak`);
    }
    renameSync(temp, path);
    syncDirectory(dirname(path));
  } catch (e) {
    rmSync(temp, { force: true });
    rmSync(`${temp}.bak`, { force: true });
    if (e instanceof KeyDeskError) throw e;
    throw new KeyDeskError('io', `could not write ${path}: ${(e as Error).message}`);
  }
}

/** Makes the rename itself durable. Windows cannot open folders for fsync; it needs none. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
