/**
 * Changing every file of a store as one unit: after a crash at any step, the store opens
 * as it was before the change or as it is after it, never a mix (a .kdb under the new
 * password beside a .sth holding the old one stops a queue manager at its next start).
 *
 * How a change is committed (the caller holds the store's lock, core/io/store-lock.ts):
 *  1. Check, writing nothing: no file changed since the caller read it (every file of the
 *     store, not only the main one — a request-only change leaves a .kdb byte-identical
 *     and rewrites only the .rdb), every file to replace is a regular file we may write.
 *  2. Write each new file to a temporary name beside its target, with the target's mode
 *     and owner, and fsync it.
 *  3. Write the journal `.<stem>.keydesk-journal` (temporary name, fsync, rename, fsync
 *     the folder). This is the commit point: from here on the change happens.
 *  4. Rename each temporary file over its target (and remove files the change deletes),
 *     fsync the folder.
 *  5. Remove the journal.
 *
 * Recovery, by whoever next takes the lock or opens the store: a journal is rolled
 * forward (its temporary files are complete, fsynced before the journal existed;
 * a missing one was already renamed); temporary files without a journal are an
 * uncommitted change and are removed. Readers never see a half-applied change: they wait
 * while a live process holds a journal and complete a dead process's journal first.
 *
 * What this cannot do: programs other than KeyDesk (GSKit, a queue manager) do not know
 * the journal. If KeyDesk is killed during step 4, they see a mix until KeyDesk next
 * opens the store; the README says so.
 */
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { KeyDeskError } from '../errors';
import { isSystemError, type FileStat, type StoreIo } from './file-system';
import { hasDeadLockEntries, removeIfPresent, tryLockStore, type StoreStem } from './store-lock';

/** Every file of a store with its SHA-256, or null where the file does not exist. */
export type Snapshot = Record<string, string | null>;

export interface StoreFileSet {
  stem: StoreStem;
  /** Every file that belongs to the store, main file first. */
  files: string[];
}

/** New contents for one file of the store, or null to remove it. */
export interface FileChange {
  path: string;
  bytes: Uint8Array | null;
  /** Mode for a file that does not exist yet (an existing file keeps its own). */
  newFileMode?: number;
}

export interface CommitOptions {
  /** The files as the caller read them: refuse if any differs now. */
  expected?: Snapshot;
  /** The same, as the bytes read (absent files as undefined), compared as bytes instead of
   * digests: the store was read moments ago, and hashing 50 MB twice to compare it costs
   * more than comparing it. Takes the place of `expected` when given. */
  expectedFiles?: ReadonlyMap<string, Uint8Array | undefined>;
  /** Refuse if any file to be written exists already (create, convert). */
  createOnly?: boolean;
  /** Keep each replaced file as `<file>.bak` (mode 0600), as part of the same commit. */
  backup?: boolean;
}

export interface CommitResult {
  /** Every file of the store as the commit left it (absent files as undefined): what a
   * re-read would give, without reading 50 MB back. Its snapshot (snapshotOf) is left to
   * whoever needs one: a one-off change never does, and hashing a 50 MB file costs as much
   * as writing it. */
  files: Map<string, Uint8Array | undefined>;
  notes: string[];
  /** The `.bak` files written, when a backup was asked for. */
  backups: string[];
}

/** Store files are read whole; this bounds memory for a wrong path (a 10,000-entry CMS
 * database is 50 MB). */
export const MAX_STORE_FILE_BYTES = 256 * 1024 * 1024;

const JOURNAL_TAG = 'keydesk-journal';
const journalPath = (stem: StoreStem) => join(stem.dir, `.${stem.base}.${JOURNAL_TAG}`);
/** Temporary files of one commit: `.<stem>.keydesk-<txid>.<what>`. */
const tempPrefix = (stem: StoreStem) => `.${stem.base}.keydesk-`;
const tempPath = (stem: StoreStem, txid: string, what: string) => join(stem.dir, `${tempPrefix(stem)}${txid}.${what}`);

/** Names in a journal are file names within the store's folder, so a folder copied or
 * moved while a change was interrupted still completes in its new place. A rename names
 * no digest of its file: the file was complete and fsynced before the journal existed,
 * recovery renames it as it is, and hashing it cost as much as writing it. (Journals
 * written before this carry a `sha256` per rename, which recovery never read.) */
interface Journal {
  txid: string;
  owner: string;
  renames: { from: string; to: string }[];
  removes: string[];
}

const digestOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sameBytes = (a: Uint8Array | null, b: Uint8Array | undefined) => (a === null ? b === undefined : b !== undefined && Buffer.compare(a, b) === 0);

// ---------------------------------------------------------------------------------------
// Reading

/**
 * Reads a regular file whole, or undefined when absent. A folder, a FIFO or a device is
 * refused (a FIFO would hang a plain read; /dev/zero would never end), as is a file over
 * `maxBytes`.
 */
export function readRegularFile(io: StoreIo, path: string, what: string, maxBytes = MAX_STORE_FILE_BYTES): Uint8Array | undefined {
  let fd: number;
  try {
    const before = io.fs.stat(path);
    if (!before) return undefined;
    if (before.isDirectory) throw new KeyDeskError('usage', `${path} is a folder; give the ${what} file inside it.`);
    if (!before.isFile) throw notRegular(path, what);
    fd = io.fs.openForReading(path);
  } catch (e) {
    if (!isSystemError(e)) throw e;
    const code = e.code;
    if (code === 'ENOENT') return undefined;
    throw new KeyDeskError('io', `${path}: cannot be read (${code ?? (e as Error).message}).`);
  }
  try {
    const st = io.fs.fstat(fd);
    if (!st.isFile) throw notRegular(path, what);
    if (st.size > maxBytes) {
      throw new KeyDeskError('unsupported', `${path} is ${Math.round(st.size / 1048576)} MB, larger than any ${what} KeyDesk reads (${maxBytes / 1048576} MB); check the path.`);
    }
    const out = new Uint8Array(st.size);
    let done = 0;
    while (done < out.length) {
      const n = io.fs.read(fd, out.subarray(done), done);
      if (n === 0) break;
      done += n;
    }
    return done === out.length ? out : out.slice(0, done);
  } catch (e) {
    if (!isSystemError(e)) throw e;
    throw new KeyDeskError('io', `${path}: cannot be read (${e.code}).`);
  } finally {
    io.fs.close(fd);
  }
}

/**
 * Whether the file at `path` holds exactly `expected` (absent: undefined), read in 1 MB
 * pieces into one buffer rather than whole. Refuses what readRegularFile refuses.
 */
export function fileHolds(io: StoreIo, path: string, what: string, expected: Uint8Array | undefined): boolean {
  let fd: number;
  try {
    const before = io.fs.stat(path);
    if (!before) return expected === undefined;
    if (before.isDirectory) throw new KeyDeskError('usage', `${path} is a folder; give the ${what} file inside it.`);
    if (!before.isFile) throw notRegular(path, what);
    if (expected === undefined) return false;
    fd = io.fs.openForReading(path);
  } catch (e) {
    if (!isSystemError(e)) throw e;
    if (e.code === 'ENOENT') return expected === undefined;
    throw new KeyDeskError('io', `${path}: cannot be read (${e.code ?? (e as Error).message}).`);
  }
  try {
    const st = io.fs.fstat(fd);
    if (!st.isFile) throw notRegular(path, what);
    if (st.size !== expected.byteLength) return false;
    const piece = new Uint8Array(Math.min(expected.byteLength, 1 << 20));
    const want = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
    let done = 0;
    while (done < expected.byteLength) {
      const n = io.fs.read(fd, piece.subarray(0, Math.min(piece.length, expected.byteLength - done)), done);
      if (n === 0) return false;
      if (want.compare(piece, 0, n, done, done + n) !== 0) return false;
      done += n;
    }
    // Longer than it was when fstat looked (a writer appending right now): not the same.
    return io.fs.read(fd, new Uint8Array(1), done) === 0;
  } catch (e) {
    if (!isSystemError(e)) throw e;
    throw new KeyDeskError('io', `${path}: cannot be read (${e.code}).`);
  } finally {
    io.fs.close(fd);
  }
}

function notRegular(path: string, what: string): KeyDeskError {
  return new KeyDeskError('unsupported', `${path} is not a regular file (a pipe, a device or a socket); give the ${what} file itself.`);
}

const statKey = (s: FileStat | undefined) => (s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}` : '-');

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Every file of the store as one consistent set: never some files from before a
 * concurrent change and some from after it. A journal left by a process that is gone is
 * completed first; while a running process holds one, this waits (up to `waitMs`).
 */
export function readStoreFiles(set: StoreFileSet, io: StoreIo, options: { locked?: boolean; waitMs?: number } = {}): Map<string, Uint8Array | undefined> {
  const read = () => new Map(set.files.map((f) => [f, readRegularFile(io, f, f === set.files[0] ? 'key store' : 'store file')] as const));
  if (options.locked) {
    // Nobody else can be writing: finish what a crash left, then one read is consistent.
    recoverStore(set, io);
    return read();
  }
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  for (;;) {
    if (settleInterrupted(set, io)) {
      const before = set.files.map((f) => statKey(io.fs.stat(f)));
      const files = read();
      const after = set.files.map((f) => statKey(io.fs.stat(f)));
      // Renames give every replaced file a new inode: equal keys mean no commit ran between.
      if (before.every((k, i) => k === after[i]) && io.fs.stat(journalPath(set.stem)) === undefined) return files;
    }
    if (Date.now() >= deadline) {
      throw new KeyDeskError('conflict', `${set.stem.display} is being saved by another process right now; try again in a moment.`);
    }
    sleepSync(20);
  }
}

/** SHA-256 of every file of the store as it is now (absent files as null). */
export function snapshotOf(files: Map<string, Uint8Array | undefined>): Snapshot {
  const out: Snapshot = {};
  for (const [path, bytes] of files) out[path] = bytes ? digestOf(bytes) : null;
  return out;
}

/**
 * True when the store's files can be read as one set. Completes a dead process's journal
 * and removes an uncommitted change's temporary files when it can take the lock; false
 * while a journal is being applied (the caller waits and asks again).
 */
function settleInterrupted(set: StoreFileSet, io: StoreIo): boolean {
  const journal = readJournal(set.stem, io);
  if (journal === undefined && !hasTemporaryFiles(set, io) && !hasDeadLockEntries(set.stem, io)) return true;
  if (journal && io.processes.isRunning(journal.owner)) return false;
  let lock: ReturnType<typeof tryLockStore>;
  try {
    lock = tryLockStore(set.stem, io);
  } catch (e) {
    if (!(e instanceof KeyDeskError)) throw e;
    // A folder this process cannot write (a read-only share, another user's store):
    // leftovers without a journal are harmless to read past; a journal is not.
    if (!journal) return true;
    throw new KeyDeskError(
      'io',
      `${set.stem.display}: a change to it was interrupted and must be completed, but ${(e as Error).message.replace(/^.*?: /, '')} Open it once as a user who may write its folder.`,
    );
  }
  // Held by a running writer: without a journal its temporary files are its own business
  // (the store's files are still the old, whole set); with one, wait for it to finish.
  if (typeof lock !== 'function') return !journal;
  try {
    recoverStore(set, io);
  } finally {
    lock();
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Recovery (the caller holds the lock)

function readJournal(stem: StoreStem, io: StoreIo): Journal | undefined {
  const bytes = readRegularFile(io, journalPath(stem), 'journal', 1024 * 1024);
  if (!bytes) return undefined;
  try {
    const j = JSON.parse(new TextDecoder().decode(bytes)) as Journal;
    if (typeof j.owner === 'string' && Array.isArray(j.renames) && Array.isArray(j.removes)) return j;
  } catch {
    // fall through
  }
  // Written through a temporary file and fsynced before its rename, so this is not a
  // crash of ours; guessing here could lose the change or half-apply it.
  throw new KeyDeskError(
    'damaged',
    `${stem.display}: its save journal ${journalPath(stem)} is unreadable, so an interrupted change cannot be completed safely. Copy the whole folder somewhere safe before anything else, then report it as a KeyDesk bug.`,
  );
}

function hasTemporaryFiles(set: StoreFileSet, io: StoreIo): boolean {
  return temporaryFiles(set, io).length > 0;
}

/**
 * This store's temporary files, and those an earlier KeyDesk left beside its files
 * (`.key.kdb.<hex>.tmp`). Only the store's own: `.key.arm.<hex>.tmp` belongs to another
 * process writing key.arm, whose save must not lose its file under it.
 */
function temporaryFiles(set: StoreFileSet, io: StoreIo): string[] {
  const { stem } = set;
  const prefix = tempPrefix(stem);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const earlier = new RegExp(`^\\.(${set.files.map((f) => escape(basename(f))).join('|')})\\.[0-9a-f]{12}\\.tmp(\\.bak)?$`);
  let names: string[];
  try {
    names = io.fs.readdir(stem.dir);
  } catch {
    return [];
  }
  return names.filter(
    (n) =>
      (n.startsWith(prefix) && !n.startsWith(`.${stem.base}.keydesk-lock.`) && n !== basename(journalPath(stem))) ||
      earlier.test(n),
  );
}

/** Completes or removes what an interrupted commit left. Returns what it did, in words. */
export function recoverStore(set: StoreFileSet, io: StoreIo): string[] {
  const notes: string[] = [];
  const journal = readJournal(set.stem, io);
  if (journal) {
    const at = (name: string) => join(set.stem.dir, basename(name));
    for (const r of journal.renames) {
      if (io.fs.stat(at(r.from))) io.fs.rename(at(r.from), at(r.to));
    }
    for (const name of journal.removes) removeIfPresent(io, at(name));
    io.fs.fsyncDirectory(set.stem.dir);
    removeIfPresent(io, journalPath(set.stem));
    io.fs.fsyncDirectory(set.stem.dir);
    notes.push(`completed a change to ${set.stem.display} that was interrupted before it finished.`);
  }
  for (const name of temporaryFiles(set, io)) removeIfPresent(io, join(set.stem.dir, name));
  return notes;
}

// ---------------------------------------------------------------------------------------
// Commit (the caller holds the lock)

export function commitStoreFiles(set: StoreFileSet, changes: FileChange[], options: CommitOptions, io: StoreIo): CommitResult {
  const notes = recoverStore(set, io);
  const display = set.stem.display;

  // 1. Checks: nothing is written until every one passes.
  const changedOnDisk = (path: string) =>
    new KeyDeskError(
      'conflict',
      `${display}: ${path === display ? 'it' : basename(path)} changed on disk since it was opened; nothing was written. Open it again to see the other change, then redo yours.`,
    );
  // A file the caller read as bytes is compared with the disk piece by piece and is not
  // read whole again: when it still holds those bytes they are what it holds, and a second
  // 50 MB buffer cost more than the comparison.
  const expectedFiles = options.expectedFiles ?? new Map<string, Uint8Array | undefined>();
  const current = new Map<string, Uint8Array | undefined>();
  for (const path of new Set([...set.files, ...changes.map((c) => c.path)])) {
    const what = path === set.files[0] ? 'key store' : 'store file';
    if (!expectedFiles.has(path)) {
      current.set(path, readRegularFile(io, path, what));
      continue;
    }
    const bytes = expectedFiles.get(path);
    if (!fileHolds(io, path, what, bytes)) throw changedOnDisk(path);
    current.set(path, bytes);
  }
  for (const [path, bytes] of expectedFiles) {
    if (!current.has(path) && !fileHolds(io, path, 'store file', bytes)) throw changedOnDisk(path);
  }
  if (!options.expectedFiles) {
    for (const [path, digest] of Object.entries(options.expected ?? {})) {
      const now = current.has(path) ? current.get(path) : readRegularFile(io, path, 'store file');
      if ((now ? digestOf(now) : null) !== digest) throw changedOnDisk(path);
    }
  }
  const targets = new Map<string, FileStat | undefined>();
  if (changes.some((c) => dirname(c.path) !== set.stem.dir)) throw new Error('a store commit may only change files in the store\'s folder');
  // A file that would come out byte-identical is left alone (a request-only change
  // rewrites the .rdb, not the .kdb): fewer writes, and its mode and owner stay untouched.
  changes = changes.filter((c) => options.backup || options.createOnly || !sameBytes(c.bytes, current.get(c.path)));
  for (const c of changes) {
    const st = io.fs.stat(c.path);
    targets.set(c.path, st);
    if (!st) continue;
    if (options.createOnly && c.bytes) {
      throw new KeyDeskError('conflict', `${c.path} already exists; nothing was written. Choose another name or delete it first.`);
    }
    if (!st.isFile) throw new KeyDeskError('unsupported', `${c.path} is not a regular file; nothing was written.`);
    if ((st.mode & 0o222) === 0 || !io.fs.isWritable(c.path)) {
      throw new KeyDeskError(
        'io',
        `${c.path} is read-only (mode ${st.mode.toString(8).padStart(4, '0')}); nothing was written. Make it writable (chmod u+w) if it should change.`,
      );
    }
  }

  // 2. Temporary files, complete and durable before anything refers to them.
  const txid = randomBytes(6).toString('hex');
  const journal: Journal = { txid, owner: io.processes.self(), renames: [], removes: [] };
  const backups: string[] = [];
  const written: string[] = [];
  try {
    for (const c of changes) {
      const existing = targets.get(c.path);
      if (c.bytes) {
        const temp = tempPath(set.stem, txid, `${basename(c.path)}.new`);
        written.push(temp);
        notes.push(...writeDurably(io, temp, c.bytes, existing, c.newFileMode ?? 0o600, c.path));
        journal.renames.push({ from: basename(temp), to: basename(c.path) });
      } else if (existing) {
        journal.removes.push(basename(c.path));
      }
      const old = current.get(c.path);
      if (options.backup && existing && old) {
        // 0600 whatever the store's mode: it may hold a key the store no longer has.
        const temp = tempPath(set.stem, txid, `${basename(c.path)}.bak-new`);
        written.push(temp);
        writeDurably(io, temp, old, undefined, 0o600, c.path);
        journal.renames.push({ from: basename(temp), to: `${basename(c.path)}.bak` });
        backups.push(`${c.path}.bak`);
      }
    }
    // 3. The commit point.
    const journalTemp = tempPath(set.stem, txid, 'journal-new');
    written.push(journalTemp);
    writeDurably(io, journalTemp, new TextEncoder().encode(JSON.stringify(journal)), undefined, 0o600, journalPath(set.stem));
    io.fs.rename(journalTemp, journalPath(set.stem));
    io.fs.fsyncDirectory(set.stem.dir);
  } catch (e) {
    for (const temp of written) {
      try {
        removeIfPresent(io, temp);
      } catch {
        // The next open removes what is left.
      }
    }
    if (!isSystemError(e)) throw e;
    throw new KeyDeskError('io', `${display}: could not write its files (${e.code}); nothing was written.`);
  }

  // 4 and 5. From here the change is decided; an error leaves the journal to finish it.
  try {
    recoverStore(set, io);
  } catch (e) {
    if (!isSystemError(e)) throw e;
    throw new KeyDeskError('io', `${display}: the change was recorded but not completed (${e.code}); it will be completed the next time the store is opened.`);
  }
  const files = new Map<string, Uint8Array | undefined>();
  for (const path of set.files) {
    const change = changes.find((c) => c.path === path);
    files.set(path, change ? change.bytes ?? undefined : current.get(path));
  }
  return { files, notes, backups };
}

/**
 * Writes `bytes` to a new file with the mode (and, where allowed, the owner) of the file
 * it will replace, then fsyncs it. Returns a note when the owner could not be kept.
 */
function writeDurably(io: StoreIo, path: string, bytes: Uint8Array, replaces: FileStat | undefined, newMode: number, target: string): string[] {
  const notes: string[] = [];
  const fd = io.fs.createExclusive(path, 0o600);
  try {
    io.fs.write(fd, bytes);
    const mode = replaces ? replaces.mode : newMode;
    // createExclusive's mode passes through the umask; set it exactly.
    io.fs.fchmod(fd, mode);
    if (replaces) {
      const mine = io.fs.fstat(fd);
      if (mine.uid !== replaces.uid || mine.gid !== replaces.gid) {
        try {
          io.fs.fchown(fd, replaces.uid, replaces.gid);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'EPERM' && code !== 'EACCES') throw e;
          notes.push(
            `${target} is now owned by user ${mine.uid}, group ${mine.gid} (it was ${replaces.uid}:${replaces.gid}): only an administrator can give a file to another user. Its mode is kept.`,
          );
        }
      }
    }
    io.fs.fsync(fd);
  } finally {
    io.fs.close(fd);
  }
  return notes;
}
