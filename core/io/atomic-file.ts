/**
 * Writing one file that is not part of a store (an extracted certificate, a request, a
 * report, the recent-stores list) so that a crash leaves the old file or the new one,
 * never half of one: write a temporary file in the same folder, fsync it, rename it over
 * the target, fsync the folder. Stores themselves are written by core/io/store-commit.ts,
 * which also covers their companion files and other writers.
 *
 * No `.bak` is kept: crash safety comes from the rename, and a lingering copy is a copy
 * nobody asked for.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { KeyDeskError } from '../errors';
import { isSystemError, systemIo, type StoreIo } from './file-system';
import { removeIfPresent } from './store-lock';

export interface AtomicWriteOptions {
  /** Mode for a new file; a file being replaced keeps its own. */
  mode?: number;
  io?: StoreIo;
}

export function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): void {
  const io = options.io ?? systemIo;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const existing = io.fs.stat(path);
    const fd = io.fs.createExclusive(temp, 0o600);
    created = true;
    try {
      io.fs.write(fd, bytes);
      io.fs.fchmod(fd, existing?.isFile ? existing.mode : (options.mode ?? 0o600));
      io.fs.fsync(fd);
    } finally {
      io.fs.close(fd);
    }
    io.fs.rename(temp, path);
    io.fs.fsyncDirectory(dirname(path));
  } catch (e) {
    if (created) {
      try {
        removeIfPresent(io, temp);
      } catch {
        // nothing more to do
      }
    }
    if (!isSystemError(e)) throw e;
    const code = e.code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (e as Error).message);
    throw new KeyDeskError('io', `could not write ${path}: ${why}; nothing was written.`);
  }
}
