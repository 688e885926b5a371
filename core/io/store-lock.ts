/**
 * One writer at a time per store, across processes and within one.
 *
 * A store is several files (key.kdb, key.rdb, key.crl, key.sth), so the lock belongs to
 * the stem, not to a file. Each would-be writer creates its own entry,
 * `.<stem>.keydesk-lock.<token>.<nonce>`, whose name says which process made it (host,
 * pid and the process's start, see ProcessTable). Then it lists the folder: if any other
 * entry belongs to a running process, it removes its own and waits; otherwise it holds
 * the lock, and removes the entries of processes that are gone.
 *
 * Why this shape: a single shared lock file cannot be taken over safely. Whoever deletes
 * a "stale" shared file may delete the one a live writer has just created, and a file
 * that exists but is still empty looks dead (both were seen: two writers went ahead and
 * one change was lost). Here nobody ever deletes a name a live process may own: an entry
 * is only removed by its maker or after its maker is certainly gone, and the identity is
 * in the name, so there is no half-written content to misread. Two writers that create
 * their entries at the same moment both see each other and both step back; each waits a
 * random time before trying again, so one of them gets through.
 */
import { randomBytes } from 'node:crypto';
import { KeyDeskError } from '../errors';
import { isSystemError, type StoreIo } from './file-system';
import { basename, dirname, join } from 'node:path';

export type ReleaseLock = () => void;

/** Where a store's lock, journal and temporary files live, and how they are named. */
export interface StoreStem {
  dir: string;
  /** `key` for key.kdb. */
  base: string;
  /** The file to name in messages (the store the user gave). */
  display: string;
}

export function stemFor(path: string, stemPath: string): StoreStem {
  return { dir: dirname(stemPath), base: basename(stemPath), display: path };
}

const LOCK_TAG = 'keydesk-lock';
const lockPrefix = (stem: StoreStem) => `.${stem.base}.${LOCK_TAG}.`;

/** Lock entries in the folder, by name. Compared ignoring case, since on macOS and Windows
 * key.kdb and KEY.kdb are one file and must share one lock. */
function lockEntries(stem: StoreStem, io: StoreIo): string[] {
  const prefix = lockPrefix(stem).toLowerCase();
  return io.fs.readdir(stem.dir).filter((name) => name.toLowerCase().startsWith(prefix));
}

function tokenOf(stem: StoreStem, entry: string): string {
  const rest = entry.slice(lockPrefix(stem).length);
  return rest.slice(0, rest.lastIndexOf('.'));
}

/** The running processes that hold (or are trying to take) the lock now. */
export function lockHolders(stem: StoreStem, io: StoreIo): string[] {
  try {
    return lockEntries(stem, io)
      .map((e) => tokenOf(stem, e))
      .filter((t) => io.processes.isRunning(t));
  } catch {
    return [];
  }
}

/** Whether a writer that is gone left its lock entry (harmless, but debris to clear). */
export function hasDeadLockEntries(stem: StoreStem, io: StoreIo): boolean {
  try {
    return lockEntries(stem, io).some((e) => !io.processes.isRunning(tokenOf(stem, e)));
  } catch {
    return false;
  }
}

/** One attempt: the release function, or the token of a live holder. */
export function tryLockStore(stem: StoreStem, io: StoreIo): ReleaseLock | { heldBy: string } {
  const token = io.processes.self();
  const mine = `${lockPrefix(stem)}${token}.${randomBytes(4).toString('hex')}`;
  const minePath = join(stem.dir, mine);
  let fd: number;
  try {
    fd = io.fs.createExclusive(minePath, 0o600);
  } catch (e) {
    throw isSystemError(e) ? cannotWrite(stem, e) : e;
  }
  try {
    // For a person looking at the folder; the name alone is what the code reads.
    io.fs.write(fd, new TextEncoder().encode(JSON.stringify({ pid: process.pid, since: new Date().toISOString() })));
  } finally {
    io.fs.close(fd);
  }
  const others = lockEntries(stem, io).filter((e) => e !== mine);
  const live = others.find((e) => io.processes.isRunning(tokenOf(stem, e)));
  if (live) {
    io.fs.unlink(minePath);
    return { heldBy: tokenOf(stem, live) };
  }
  for (const dead of others) removeIfPresent(io, join(stem.dir, dead));
  return () => removeIfPresent(io, minePath);
}

/**
 * Takes the lock, waiting up to `waitMs` for a live holder to finish (two scripts that
 * add a certificate each at the same moment should both succeed, one after the other).
 */
export async function lockStore(stem: StoreStem, io: StoreIo, waitMs = 20_000): Promise<ReleaseLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const attempt = tryLockStore(stem, io);
    if (typeof attempt === 'function') return attempt;
    if (Date.now() >= deadline) throw lockedError(stem, attempt.heldBy);
    await new Promise((r) => setTimeout(r, 10 + Math.floor(Math.random() * 60)));
  }
}

export function lockedError(stem: StoreStem, heldBy: string): KeyDeskError {
  const pid = heldBy.split('.')[1];
  return new KeyDeskError(
    'conflict',
    `${stem.display} is being changed by another KeyDesk${pid ? ` (process ${pid})` : ''}; nothing was written. Try again when it has finished.`,
  );
}

function cannotWrite(stem: StoreStem, e: unknown): KeyDeskError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new KeyDeskError('file-not-found', `${stem.display}: the folder ${stem.dir} does not exist; nothing was written.`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new KeyDeskError('io', `${stem.display}: KeyDesk cannot write in the folder ${stem.dir} (${code}); nothing was written. Check the folder's permissions.`);
  }
  return new KeyDeskError('io', `${stem.display}: could not lock the store (${code ?? (e as Error).message}); nothing was written.`);
}

export function removeIfPresent(io: StoreIo, path: string): void {
  try {
    io.fs.unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
