/**
 * From a KeyStore to the files on disk. Encoding happens first and touches nothing; the
 * files are then replaced as one unit by commitStoreFiles (core/io/store-commit.ts),
 * which refuses to overwrite a file someone else changed since it was opened.
 */
import { existsSync } from 'node:fs';
import { KeyDeskError } from '../errors';
import type { KeyStore, RequestEntry, StoreFormat } from '../model/key-store';
import { pkcs12Codec, type Pkcs12WriteOptions } from '../formats/pkcs12';
import { jceksCodec, jksCodec } from '../formats/jks';
import { writeCmsStore, writeRequestDatabase } from '../formats/cms';
import { readStash, writeStash } from '../formats/cms-stash';
import { systemIo, type StoreIo } from '../io/file-system';
import { commitStoreFiles, readRegularFile, type FileChange, type Snapshot } from '../io/store-commit';
import { lockStore } from '../io/store-lock';
import { ownsRequestDatabase, stashPathFor, stemOf, storeFileSet } from './store-files';

export interface SaveOptions {
  /** CMS only: the version to write (a store read from disk keeps its own). */
  cmsVersion?: 4 | 6;
  /** CMS only: save a store read from a damaged version-3 file without its damaged
   * records (refused otherwise, so damage is never sealed under a fresh MAC unasked). */
  dropDamaged?: boolean;
  pkcs12?: Pkcs12WriteOptions;
  /** Every file of the store as it was opened; undefined for a new store. */
  expected?: Snapshot;
  /** The same as bytes (see CommitOptions.expectedFiles). */
  expectedFiles?: ReadonlyMap<string, Uint8Array | undefined>;
  /** True when no file of the store may exist yet (create, convert). */
  createOnly?: boolean;
  /** Keep each replaced file as `<file>.bak` (0600). Off unless the user asks. */
  backup?: boolean;
  /** The password the files on disk open with, when it is not the one being written
   * (a password change): what is carried verbatim (CRLs) is re-sealed from it. */
  currentPassword?: string;
  /** Also write `<stem>.sth` with this password, in the same commit. */
  stash?: { password: string; form?: 'v1' | 'v2' };
  io?: StoreIo;
}

export interface SaveResult {
  /** Things the user should be told (e.g. "saved as version 6"). */
  notes: string[];
  /** Every file of the store as saved (see CommitResult); snapshotOf gives their digests. */
  files: Map<string, Uint8Array | undefined>;
  /** The files written or replaced. */
  written: string[];
  backups: string[];
}

/** The files a store of `format` at `path` occupies: GSKit keeps .kdb, .rdb and .crl together. */
export function filesOf(path: string, format: StoreFormat): string[] {
  return format === 'cms' ? [path, `${stemOf(path)}.rdb`, `${stemOf(path)}.crl`] : [path];
}

/** Encodes the store into its files, writing nothing: a failed encoding leaves no trace. */
export function encodeStore(path: string, store: KeyStore, password: string, options: SaveOptions = {}): { changes: FileChange[]; notes: string[] } {
  const changes: FileChange[] = [];
  const notes: string[] = [];
  // Outside CMS, pending requests live in <stem>.rdb beside the store (as GSKit keeps them
  // for PKCS#12); the file is rewritten whenever it exists so a deleted request goes too.
  const requests = store.entries.filter((e): e is RequestEntry => e.kind === 'request');
  const rdbPath = `${stemOf(path)}.rdb`;
  if (store.format !== 'cms') {
    if (!ownsRequestDatabase(path, store.format)) {
      if (requests.length > 0) {
        throw new KeyDeskError(
          'conflict',
          `${path}: its pending requests would go in ${rdbPath}, which belongs to ${stemOf(path)}.kdb; nothing was written. Use a file name of its own (not ${stemOf(path)}.*).`,
        );
      }
    } else if (requests.length > 0 || existsSync(rdbPath)) {
      changes.push({ path: rdbPath, bytes: writeRequestDatabase(requests, password) });
    }
    store = { ...store, entries: store.entries.filter((e) => e.kind !== 'request') };
  }
  let main: Uint8Array;
  switch (store.format) {
    case 'pkcs12':
    case 'jks':
    case 'jceks': {
      // Each codec keeps the protection the file was read with and re-encrypts every key
      // under a new password, or refuses naming what it cannot; its notes say what changed.
      const written =
        store.format === 'pkcs12'
          ? pkcs12Codec.writeWithNotes(store, password, options.pkcs12)
          : (store.format === 'jks' ? jksCodec : jceksCodec).writeWithNotes(store, password);
      main = written.bytes;
      notes.push(...written.notes);
      break;
    }
    case 'cms': {
      const crlPath = `${stemOf(path)}.crl`;
      const crlBytes = (store.properties.crlCount ?? 0) !== 0 ? readRegularFile(options.io ?? systemIo, crlPath, 'CRL database') : undefined;
      const written = writeCmsStore(store, password, {
        version: options.cmsVersion,
        dropDamaged: options.dropDamaged,
        crl: crlBytes ? { bytes: crlBytes, password: options.currentPassword ?? password } : undefined,
      });
      main = written.kdb;
      changes.push({ path: `${stemOf(path)}.rdb`, bytes: written.rdb });
      changes.push({ path: crlPath, bytes: written.crl });
      notes.push(...written.notes);
      break;
    }
    case 'pkcs11':
      throw new KeyDeskError('unsupported', `${path}: a PKCS#11 token is changed on the token itself, never written as a file.`);
  }
  changes.unshift({ path, bytes: main });
  // A stash is obfuscation, not encryption: a new one is readable by its owner only.
  if (options.stash) {
    const stashPath = stashPathFor(path);
    if (stashHolds(stashPath, options.stash.password, options.io ?? systemIo)) {
      // key.kdb made beside key.p12 with the same password (GSKit's -convert habit): the
      // stash already there opens both, so it is kept rather than refused as taken.
      notes.push(`${stashPath} already holds this password; it was kept and opens the new store too.`);
    } else {
      changes.push({ path: stashPath, bytes: writeStash(options.stash.password, options.stash.form ?? 'v2'), newFileMode: 0o600 });
    }
  }
  return { changes, notes };
}

/** Encodes and commits the store's files. The caller holds the store's lock (withStoreLock). */
export function saveStore(path: string, store: KeyStore, password: string, options: SaveOptions = {}): SaveResult {
  const encoded = encodeStore(path, store, password, options);
  return commitChanges(path, encoded.changes, encoded.notes, options);
}

/** Commits encoded files as one unit. The caller holds the store's lock. */
export function commitChanges(path: string, changes: FileChange[], notes: string[], options: SaveOptions = {}): SaveResult {
  const committed = commitStoreFiles(storeFileSet(path), changes, options, options.io ?? systemIo);
  return {
    notes: [...committed.notes, ...notes],
    files: committed.files,
    written: changes.filter((c) => c.bytes).map((c) => c.path),
    backups: committed.backups,
  };
}

/** Runs `fn` holding the lock of the store at `path` (waiting for another writer to finish). */
export async function withStoreLock<T>(path: string, fn: () => T | Promise<T>, io: StoreIo = systemIo): Promise<T> {
  const release = await lockStore(storeFileSet(path).stem, io);
  try {
    return await fn();
  } finally {
    release();
  }
}

function stashHolds(stashPath: string, password: string, io: StoreIo): boolean {
  try {
    const bytes = readRegularFile(io, stashPath, 'stash file', 4096);
    return bytes !== undefined && readStash(bytes) === password;
  } catch {
    return false;
  }
}

/** The stash file for `path`, encoded (mode 0600 when new). */
export function stashChange(path: string, password: string, form: 'v1' | 'v2' = 'v2'): FileChange {
  return { path: stashPathFor(path), bytes: writeStash(password, form), newFileMode: 0o600 };
}
