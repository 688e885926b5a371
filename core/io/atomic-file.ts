/**
 * Saving a key store must never leave a half-written file: the operator's production
 * key.kdb is the one thing they cannot lose. Write to a temporary file in the same
 * folder, fsync it, keep the previous file as `<name>.bak`, then rename over the target
 * (atomic on POSIX and on NTFS for same-volume renames).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
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

export function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): void {
  const { mode = 0o600, backup = true, expectedDigest } = options;
  if (expectedDigest !== undefined && digestOfFile(path) !== expectedDigest) {
    throw new KeyDeskError(
      'conflict',
      `${path} changed on disk since it was opened; nothing was written. Open it again to see the other change.`,
    );
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (backup && existsSync(path)) copyFileSync(path, `${path}.bak`);
    renameSync(temp, path);
    syncDirectory(dirname(path));
  } catch (e) {
    rmSync(temp, { force: true });
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
