/**
 * From a KeyStore to files on disk, atomically, with `.bak` copies and the on-disk check
 * that refuses to overwrite a file someone else changed since it was opened.
 */
import { existsSync } from 'node:fs';
import { KeyDeskError } from '../errors';
import type { KeyStore, RequestEntry, StoreFormat } from '../model/key-store';
import { pkcs12Codec, type Pkcs12WriteOptions } from '../formats/pkcs12';
import { jceksCodec, jksCodec } from '../formats/jks';
import { writeCmsStore, writeRequestDatabase } from '../formats/cms';
import { writeStash } from '../formats/cms-stash';
import { digestOf, writeFileAtomic } from '../io/atomic-file';
import { ownsRequestDatabase, stashPathFor, stemOf } from './store-files';

export interface SaveOptions {
  /** CMS only: the version to write (a store read from disk keeps its own). */
  cmsVersion?: 4 | 6;
  pkcs12?: Pkcs12WriteOptions;
  /** Digest of the main file when it was opened; undefined for a new file. */
  expectedDigest?: string;
  /** True when the file must not exist yet (create, convert). */
  createOnly?: boolean;
}

export interface SaveResult {
  /** Things the user should be told (e.g. "saved as version 6"). */
  notes: string[];
  digest: string;
}

/** The files a store of `format` at `path` occupies: GSKit keeps .kdb, .rdb and .crl together. */
export function filesOf(path: string, format: StoreFormat): string[] {
  return format === 'cms' ? [path, `${stemOf(path)}.rdb`, `${stemOf(path)}.crl`] : [path];
}

export function saveStore(path: string, store: KeyStore, password: string, options: SaveOptions = {}): SaveResult {
  if (options.createOnly) {
    const taken = filesOf(path, store.format).find((f) => existsSync(f));
    if (taken) throw new KeyDeskError('conflict', `${taken} already exists; nothing was written. Choose another name or delete it first.`);
  }
  // Encode everything before touching the disk: a failed encoding must leave no trace.
  let main: Uint8Array;
  const siblings: [string, Uint8Array][] = [];
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
      siblings.push([rdbPath, writeRequestDatabase(requests, password)]);
    }
    store = { ...store, entries: store.entries.filter((e) => e.kind !== 'request') };
  }
  switch (store.format) {
    case 'pkcs12':
      main = pkcs12Codec.write(store, password, options.pkcs12 ?? protectionAsRead(store));
      break;
    case 'cms': {
      const written = writeCmsStore(store, password, { version: options.cmsVersion });
      main = written.kdb;
      siblings.push([`${stemOf(path)}.rdb`, written.rdb]);
      // Absent when the .crl held CRLs, which KeyDesk keeps by not touching the file.
      if (written.crl) siblings.push([`${stemOf(path)}.crl`, written.crl]);
      notes.push(...written.notes);
      break;
    }
    case 'jks':
      main = jksCodec.write(store, password);
      break;
    case 'jceks':
      main = jceksCodec.write(store, password);
      break;
  }
  writeFileAtomic(path, main, { expectedDigest: options.expectedDigest });
  for (const [file, bytes] of siblings) writeFileAtomic(file, bytes);
  return { notes, digest: digestOf(main) };
}

/**
 * A PKCS#12 keeps the protection it was read with: a 3DES/RC2 file made for an old GSKit
 * or Java must not come back AES-encrypted after a simple Add, or that consumer stops
 * reading it. Iterations are kept too (IBM tools use 50,000 to 100,000).
 */
function protectionAsRead(store: KeyStore): Pkcs12WriteOptions | undefined {
  if (store.format !== 'pkcs12') return undefined;
  const { keyProtection, certProtection, iterations } = store.properties;
  const legacy = [keyProtection, certProtection].some((v) => typeof v === 'string' && /TripleDES|RC2/i.test(v));
  return { protection: legacy ? 'legacy-3des' : 'aes256', iterations: typeof iterations === 'number' && iterations > 0 ? iterations : undefined };
}

/** Writes `<stem>.sth` (mode 0600: a stash is obfuscation, not encryption). */
export function saveStash(path: string, password: string, form: 'v1' | 'v2' = 'v2'): string {
  const stashPath = stashPathFor(path);
  writeFileAtomic(stashPath, writeStash(password, form), { mode: 0o600 });
  return stashPath;
}
