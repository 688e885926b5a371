/**
 * A file the user names for output (an extracted certificate, a request, a report, a
 * repaired copy) must never be a key store or part of one. `-cert -extract -target
 * key.kdb -db key.kdb` once replaced the key database with a PEM certificate; a second
 * run replaced the backup too. Refused here, before anything is written:
 *  - the store being worked on, or any of its files (.kdb/.rdb/.crl/.sth), a lock,
 *    journal or temporary file of KeyDesk's, or a backup (`.bak`), under any spelling
 *    of the path (relative, `..`, a symbolic or hard link);
 *  - a name that would become one of its files (key.rdb beside key.p12, say);
 *  - any other existing key store or stash file, whatever its name;
 *  - a folder, a pipe or a device.
 */
import { basename, dirname, extname, resolve } from 'node:path';
import { KeyDeskError } from '../errors';
import { systemIo, type StoreIo } from '../io/file-system';
import { readRegularFile } from '../io/store-commit';
import { looksLikeStash } from '../formats/cms-stash';
import { detectFormat, stemOf, storeFileSet } from './store-files';

const COMPANION_EXTENSIONS = ['.kdb', '.rdb', '.crl', '.sth'];
const foldCase = process.platform === 'darwin' || process.platform === 'win32';
const same = (a: string, b: string) => (foldCase ? a.toLowerCase() === b.toLowerCase() : a === b);

/** The target's folder resolved through links, and its name: how two spellings compare. */
function canonical(path: string, io: StoreIo): string {
  const absolute = resolve(path);
  try {
    return resolve(io.fs.realpath(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

/**
 * Throws a one-line refusal when `target` may not be written as `what` (e.g. "the
 * certificate"). `stores` are the key stores the command works on. `intoStore`: the
 * target is a key store to add to (export), so an existing one is welcome. `newStore`:
 * the target is a new key store (convert), which may be the .kdb of the source's stem.
 */
export function checkOutputTarget(target: string, what: string, stores: readonly string[] = [], io: StoreIo = systemIo, options: { intoStore?: boolean; newStore?: boolean } = {}): void {
  const refuse = (why: string) => {
    throw new KeyDeskError('conflict', `${target} ${why}; nothing was written. Choose another file for ${what}.`);
  };
  if (target.trim() === '') throw new KeyDeskError('usage', `no file given for ${what}.`);
  const st = io.fs.stat(target);
  if (st?.isDirectory) refuse('is a folder');
  if (st && !st.isFile) refuse('is not a regular file (a pipe, a device or a socket)');
  const name = canonical(target, io);
  const base = basename(name);

  for (const store of stores) {
    const set = storeFileSet(store);
    const storeFiles = set.files.map((f) => canonical(f, io));
    const folder = canonical(set.stem.dir, io);
    if (storeFiles.some((f) => same(f, name))) refuse(same(storeFiles[0]!, name) ? 'is the key store itself' : `is part of the key store ${store}`);
    // A new store may be key.kdb beside key.p12 (GSKit's own habit: -convert -db X.p12
    // -new_db X.kdb): its create-only commit refuses any companion that exists.
    const newStoreBeside = options.newStore && !st && extname(base).toLowerCase() === '.kdb';
    if (!newStoreBeside && same(dirname(name), folder) && same(stemOf(base), set.stem.base) && COMPANION_EXTENSIONS.includes(extname(base).toLowerCase())) {
      refuse(`would be taken for part of the key store ${store} (GSKit keeps ${set.stem.base}.kdb, .rdb, .crl and .sth together)`);
    }
    if (same(dirname(name), folder) && (base.startsWith(`.${set.stem.base}.keydesk-`) || storeFiles.some((f) => same(`${f}.bak`, name)))) {
      refuse(`belongs to the key store ${store} (a backup, lock or temporary file)`);
    }
    // A hard link is another name for the same file.
    if (st) {
      for (const f of set.files) {
        const other = io.fs.stat(f);
        if (other && other.dev === st.dev && other.ino === st.ino) refuse(`is another name (a link) for ${f}, part of the key store ${store}`);
      }
    }
  }
  if (/\.keydesk-(lock|journal)/.test(base)) refuse('is a KeyDesk lock or journal file');
  if (!st) return;
  let bytes: Uint8Array | undefined;
  try {
    bytes = readRegularFile(io, target, 'file');
  } catch {
    return; // unreadable or huge: not a store we could tell; the write itself will say more
  }
  if (!bytes) return;
  const format = detectFormat(bytes);
  // Export adds to an existing store (runmqakm -cert -export -target DB); nothing else may.
  if (format && !options.intoStore) refuse(`is an existing key store (${format === 'cms' ? 'CMS' : format.toUpperCase()})`);
  if (extname(base).toLowerCase() === '.sth' || looksLikeStash(bytes)) refuse('is a stash file');
}
