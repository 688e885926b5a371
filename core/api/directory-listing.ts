/**
 * The in-app file browser of browser mode: the server's folders as the operator would see
 * them in a native dialog, key stores and certificate files marked, nothing read but names.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { KeyDeskError } from '../errors';

export interface DirectoryEntry {
  name: string;
  path: string;
  kind: 'folder' | 'file';
  size?: number;
  /** What KeyDesk guesses from the name, to sort the likely files first. */
  hint?: 'key store' | 'stash' | 'certificate' | 'request' | 'private key';
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
      entries.push(st.isDirectory() ? { name, path: full, kind: 'folder' } : { name, path: full, kind: 'file', size: st.size, hint: hints[extname(name).toLowerCase()] });
    } catch {
      // A dangling link or a file we may not stat is simply not offered.
    }
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  const parent = dirname(dir);
  return { path: dir, parent: parent === dir ? undefined : parent, entries };
}
