/**
 * The in-app file browser of browser mode: the server's folders as the operator would see
 * them in a native dialog, key stores and certificate files marked, nothing read but names.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { homedir } from 'node:os';
import { KeyDeskError } from '../errors';

export interface DirectoryEntry {
  name: string;
  path: string;
  kind: 'folder' | 'file';
  size?: number;
  /** What KeyDesk guesses from the name, to sort the likely files first. */
  hint?: 'key store' | 'stash' | 'certificate' | 'request' | 'private key';
  /** For key stores best opened read-only: why (a system trust store, a file this user
   * cannot write). Open offers "Open read-only" checked for them. */
  readOnlyReason?: string;
}

export interface DirectoryListing {
  path: string;
  parent?: string;
  entries: DirectoryEntry[];
}

const hints: Record<string, DirectoryEntry['hint']> = {
  '.kdb': 'key store', '.p12': 'key store', '.pfx': 'key store', '.jks': 'key store', '.jceks': 'key store', '.rdb': 'key store',
  '.sth': 'stash',
  '.arm': 'certificate', '.pem': 'certificate', '.crt': 'certificate', '.cer': 'certificate', '.der': 'certificate', '.p7b': 'certificate', '.p7c': 'certificate',
  '.csr': 'request', '.req': 'request',
  '.key': 'private key',
};

/** Stores known by name, not extension: the JDK's `cacerts`, and the names Java servers give theirs. */
const storeNames = new Set(['cacerts', 'jssecacerts', 'truststore', 'keystore']);

function hintFor(name: string): DirectoryEntry['hint'] {
  return hints[extname(name).toLowerCase()] ?? (storeNames.has(name.toLowerCase()) ? 'key store' : undefined);
}

/** Folders whose stores belong to the system: a change there reaches every Java program or
 * service on the machine. */
function isSystemLocation(path: string): boolean {
  const p = path.split(sep).join('/');
  if (/^\/(etc|usr|opt\/[^/]+\/(java|jdk|jre)[^/]*)\//i.test(p)) return true;
  if (/\/(jre\/)?lib\/security\//i.test(p)) return true;
  return /^[A-Za-z]:\/(Program Files|Windows)/i.test(p);
}

/** Why a store is best opened read-only, or nothing. */
export function readOnlyReason(path: string): string | undefined {
  const name = basename(path).toLowerCase();
  if (name === 'cacerts' || name === 'jssecacerts') return 'it is a Java trust store (cacerts) that every Java program here uses';
  if (isSystemLocation(resolve(path))) return 'it is in a system folder';
  try {
    accessSync(path, constants.W_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return 'you cannot write it';
  }
  return undefined;
}

export function listDirectory(path?: string): DirectoryListing {
  const dir = resolve(path && path.trim() !== '' ? path : homedir());
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KeyDeskError(code === 'ENOENT' ? 'file-not-found' : 'io', `${dir}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : `cannot be listed (${code})`}.`);
  }
  const entries: DirectoryEntry[] = [];
  for (const name of names) {
    const full = join(dir, name);
    try {
      const st = statSync(full);
      if (st.isDirectory()) {
        entries.push({ name, path: full, kind: 'folder' });
        continue;
      }
      const hint = hintFor(name);
      const reason = hint === 'key store' ? readOnlyReason(full) : undefined;
      entries.push({ name, path: full, kind: 'file', size: st.size, hint, ...(reason ? { readOnlyReason: reason } : {}) });
    } catch {
      // A dangling link or a file we may not stat is simply not offered.
    }
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  const parent = dirname(dir);
  return { path: dir, parent: parent === dir ? undefined : parent, entries };
}
