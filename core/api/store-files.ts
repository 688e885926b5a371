/**
 * From a path and credentials to a KeyStore: which format the bytes are, which sibling
 * files belong to it (a CMS .kdb has its .rdb and .crl; any store may have a .sth), and
 * errors worded with the file name. Every file of the store is read as one consistent
 * set (core/io/store-commit.ts). Reading writes nothing, except to complete or undo a
 * change that a crash interrupted.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { KeyDeskError, isKeyDeskError } from '../errors';
import type { KeyStore, StoreFormat } from '../model/key-store';
import { pkcs12Codec } from '../formats/pkcs12';
import type { StoreReadOptions } from '../formats/store-codec';
import { jceksCodec, jksCodec } from '../formats/jks';
import { readCmsStore, readRequestDatabase, sniffCms } from '../formats/cms';
import { readStash } from '../formats/cms-stash';
import { systemIo, type StoreIo } from '../io/file-system';
import { readStoreFiles, snapshotOf, type Snapshot, type StoreFileSet } from '../io/store-commit';
import { stemFor } from '../io/store-lock';
import { diagnoseTransferDamage } from '../formats/transfer-damage';
import type { Credentials } from './contract';
import { worded } from '../wording';
import { isTokenPath } from '../tokens/token-store';
import { loadTokenStore } from './token-stores';

export interface LoadedStore {
  path: string;
  store: KeyStore;
  password: string;
  /** Every file of the store as read, to refuse overwriting one changed since. */
  snapshot: Snapshot;
  /** The same files' bytes as read (a CMS store's entries hold views into them anyway). */
  files: ReadonlyMap<string, Uint8Array | undefined>;
}

export interface LoadOptions extends StoreReadOptions {
  io?: StoreIo;
  /** The caller holds the store's lock (a change reads the store it is about to write). */
  locked?: boolean;
  /** The store's files as a commit just left them, instead of reading them again (a save
   * re-opens what it wrote). */
  saved?: { files: Map<string, Uint8Array | undefined> };
}

/** `dir/key.kdb` → `dir/key`: GSKit keeps key.kdb, key.rdb, key.crl and key.sth together. */
export function stemOf(path: string): string {
  const ext = extname(path);
  return ext ? path.slice(0, -ext.length) : path;
}

/**
 * Whether `<stem>.rdb` holds the pending requests of this non-CMS store. A `.kdb` of the
 * same stem owns that file (GSKit's pairing), so a key.p12 beside key.kdb keeps none there:
 * reading them would fail on the other password, and writing them would lock the .kdb out.
 */
export function ownsRequestDatabase(path: string, format: StoreFormat): boolean {
  return format !== 'cms' && !existsSync(`${stemOf(path)}.kdb`);
}

export function stashPathFor(path: string): string {
  return `${stemOf(path)}.sth`;
}

/** The files that make up the store at `path`, whatever its format: GSKit keeps key.kdb,
 * key.rdb, key.crl and key.sth together, and the other formats may have a .rdb (pending
 * requests) and a .sth beside them. Change detection and locking cover them as one. */
export function storeFileSet(path: string): StoreFileSet {
  const stem = stemOf(path);
  const files = [path];
  for (const ext of ['.rdb', '.crl', '.sth']) if (!files.includes(`${stem}${ext}`)) files.push(`${stem}${ext}`);
  return { stem: stemFor(path, stem), files };
}

export function detectFormat(bytes: Uint8Array): StoreFormat | undefined {
  if (sniffCms(bytes)) return 'cms';
  if (jksCodec.sniff(bytes)) return 'jks';
  if (jceksCodec.sniff(bytes)) return 'jceks';
  if (pkcs12Codec.sniff(bytes)) return 'pkcs12';
  return undefined;
}

/** The password from -pw / KEYDESK_PW (already resolved by the caller) or the stash. */
function resolvePassword(path: string, credentials: Credentials, stash: Uint8Array | undefined): string {
  if (credentials.stashed) {
    const stashPath = stashPathFor(path);
    if (!stash) throw new KeyDeskError('file-not-found', `${stashPath}: no such stash file. Check the path and try again.`);
    try {
      return readStash(stash);
    } catch (e) {
      if (!isKeyDeskError(e)) throw e;
      throw new KeyDeskError(
        e.code,
        `${stashPath}: ${e.message} (keydesk -keydb -stashpw -db ${path} -pw PASSWORD).`,
        e.reason,
        `${stashPath}: ${e.message.replace(/; recreate it from the password$/, '')}. Open the key database with its password, then use Stash Password… to write a new stash.`,
      );
    }
  }
  if (credentials.password === undefined) {
    throw new KeyDeskError('usage', `no password for ${path}: give -pw, set KEYDESK_PW, or use -stashed.`, undefined, `no password for ${path}: type it in Password, or tick “Use the stash file”.`);
  }
  return credentials.password;
}

/** Given no password at all, a PKCS#12 made with an empty one opens, as GSKit opens it for
 * scripts that pass none (real-command-lines.json #122, #124). Only the empty password is
 * tried: any other file is refused as having no password. */
function unprotectedPkcs12(bytes: Uint8Array, credentials: Credentials): boolean {
  if (credentials.stashed || credentials.password !== undefined) return false;
  try {
    pkcs12Codec.read(bytes, '');
    return true;
  } catch {
    return false;
  }
}

export function loadStore(path: string, credentials: Credentials, options: LoadOptions = {}): LoadedStore {
  const io = options.io ?? systemIo;
  // A PKCS#11 token is named by its URI where a path goes (core/api/token-stores.ts).
  if (isTokenPath(path)) return loadTokenStore(path, credentials, io);
  const set = storeFileSet(path);
  const files = options.saved?.files ?? readStoreFiles(set, io, { locked: options.locked });
  const bytes = files.get(path);
  if (!bytes) throw new KeyDeskError('file-not-found', `${path}: no such key store. Check the path and try again.`);
  const format = detectFormat(bytes);
  if (format === undefined) {
    throwIfTransferDamaged(path, bytes);
    throw new KeyDeskError(
      'not-a-keystore',
      `${path} is not a key store KeyDesk can read (expected a CMS .kdb, PKCS#12 .p12/.pfx, JKS or JCEKS file).`,
    );
  }
  const stem = stemOf(path);
  const password = format === 'pkcs12' && unprotectedPkcs12(bytes, credentials) ? '' : resolvePassword(path, credentials, files.get(`${stem}.sth`));
  let store: KeyStore;
  try {
    switch (format) {
      case 'cms':
        store = readCmsStore({ kdb: bytes, rdb: files.get(`${stem}.rdb`), crl: files.get(`${stem}.crl`) }, password);
        break;
      case 'pkcs12':
        store = pkcs12Codec.read(bytes, password, options);
        break;
      case 'jks':
        store = jksCodec.read(bytes, password);
        break;
      case 'jceks':
        store = jceksCodec.read(bytes, password);
        break;
      case 'pkcs11':
        throw new KeyDeskError('unsupported', 'a PKCS#11 token is not read from a file.');
    }
    const rdb = ownsRequestDatabase(path, format) ? files.get(`${stem}.rdb`) : undefined;
    if (rdb) store.entries.push(...readRequestDatabase(rdb, password));
  } catch (e) {
    if (credentials.stashed && isKeyDeskError(e) && e.code === 'wrong-password') {
      throw new KeyDeskError(
        'stash-mismatch',
        `${stashPathFor(path)} does not open ${path}: the stash holds another password. Give the password with -pw, then recreate the stash with -keydb -stashpw.`,
        undefined,
        `${stashPathFor(path)} does not open ${path}: the stash holds another password. Open it with its password, then use Stash Password… to write a new stash.`,
      );
    }
    if (isKeyDeskError(e) && (e.code === 'damaged' || e.code === 'not-a-keystore')) throwIfTransferDamaged(path, bytes);
    if (isKeyDeskError(e) && e.code === 'wrong-password' && e.reason === 'wrong-password-or-damaged') {
      throw new KeyDeskError(
        'wrong-password',
        `${path}: the password is wrong, or the file is damaged: nothing in it decrypts with this password and its integrity check fails. Check the password (passwords are case-sensitive), or use its stash file (-stashed) if one is beside it; if it is right, get a fresh copy of the file.`,
        e.reason,
        `${path}: the password is wrong, or the file is damaged: nothing in it decrypts with this password and its integrity check fails. Check the password (passwords are case-sensitive), or tick “Use the stash file” if a stash is beside it; if it is right, get a fresh copy of the file.`,
      );
    }
    if (isKeyDeskError(e) && e.code === 'wrong-password') {
      // One wording for every format, with what to do about it.
      throw new KeyDeskError(
        'wrong-password',
        `${path}: the password is wrong. Check it (passwords are case-sensitive), or use its stash file (-stashed) if one is beside it.`,
        undefined,
        `${path}: the password is wrong. Check it (passwords are case-sensitive), or tick “Use the stash file” if a stash is beside it.`,
      );
    }
    throw prefixed(path, e);
  }
  // Digested on first use: a change made at once compares the bytes instead.
  let snapshot: Snapshot | undefined;
  return {
    path,
    store,
    password,
    files,
    get snapshot(): Snapshot {
      return (snapshot ??= snapshotOf(files));
    },
  };
}

/** Format modules and operations word errors without the file name; add it here, once. */
export function prefixed(path: string, e: unknown): unknown {
  if (!isKeyDeskError(e)) return e;
  if (e.message.includes(path)) return e;
  return new KeyDeskError(e.code, `${path}: ${e.message}`, e.reason, e.gui === undefined ? undefined : `${path}: ${e.gui}`);
}

/**
 * A file broken by a text-mode (ASCII) transfer gets that explanation instead of a
 * generic "damaged": the operator can fix it at the source. A repair is only offered,
 * never applied: -keydb -repair writes the repaired copy to a new file.
 */
export function throwIfTransferDamaged(path: string, bytes: Uint8Array): void {
  const diagnosis = diagnoseTransferDamage(bytes);
  if (!diagnosis.damaged) return;
  const offer = diagnosis.repaired
    ? worded(` (keydesk -keydb -repair -db ${path} -target REPAIRED_FILE [-pw PW | -stashed]: it writes the copy only if it verifies)`, ' Repair… writes that copy to a new file, only if it verifies.')
    : '';
  throw new KeyDeskError('damaged', `${path}: ${diagnosis.message}${offer}`, diagnosis.repaired ? 'transfer-damaged' : undefined);
}
