/**
 * Path handling in the page, which has no node:path and may show a Windows main process's
 * paths: both separators are understood, and the one the path already uses is kept.
 */
import { isTokenPath, tokenDisplayName } from '../core/tokens/token-uri';

function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

export function fileNameOf(path: string): string {
  // A PKCS#11 token (its URI stands where a path goes): named by its label.
  if (isTokenPath(path)) return tokenDisplayName(path);
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** The folder holding `path` ('/' for a file at the root). */
export function folderOf(path: string): string {
  if (isTokenPath(path)) return '';
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return '';
  return cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
}

/** `key.kdb` → `key`: GSKit keeps key.kdb, key.rdb, key.crl and key.sth together. */
export function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

export function joinPath(folder: string, name: string): string {
  const separator = separatorOf(folder);
  return folder.endsWith('/') || folder.endsWith('\\') ? `${folder}${name}` : `${folder}${separator}${name}`;
}

/** The stash GSKit would look for beside a store: same folder, same stem, `.sth`. */
export function stashFileNameFor(storePath: string): string {
  return `${stemOf(fileNameOf(storePath))}.sth`;
}
