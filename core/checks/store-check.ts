/**
 * The doctor on a store as it lies on disk: what the stash beside it holds, and the queue
 * manager it belongs to when the path says so. Reads only; never writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { LoadedStore } from '../api/store-files';
import { stashPathFor, storeFileSet } from '../api/store-files';
import { readStash } from '../formats/cms-stash';
import { diagnoseStore, type DoctorOptions, type StashState } from './doctor';
import { sortFindings, type DoctorReport, type Finding } from './findings';

export function stashStateFor(path: string, password: string): StashState {
  const stashPath = stashPathFor(path);
  if (!existsSync(stashPath)) return { state: 'absent', path: stashPath };
  let stashed: string;
  try {
    stashed = readStash(new Uint8Array(readFileSync(stashPath)));
  } catch (e) {
    return { state: 'unreadable', path: stashPath, reason: (e as Error).message };
  }
  return { state: stashed === password ? 'matches' : 'other-password', path: stashPath };
}

/**
 * `/var/mqm/qmgrs/QM1/ssl/key.kdb` → `QM1`. MQ writes a '.' in a queue manager name as
 * '!' and a '/' as '&' in its directory names, so those are turned back.
 */
export function queueManagerFromPath(path: string): string | undefined {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf('qmgrs');
  if (at < 0 || parts[at + 2] !== 'ssl' || !parts[at + 1]) return undefined;
  return parts[at + 1]!.replace(/!/g, '.').replace(/&/g, '/');
}

/**
 * `.bak` copies beside the store (made by -backup, or by earlier KeyDesk builds, which
 * kept one after every change): each may hold private keys deleted since, or open with a
 * password changed since, and a `cp -r` of the folder carries them along.
 */
export function backupFindings(path: string): Finding[] {
  const copies = storeFileSet(path).files.map((f) => `${f}.bak`).filter((f) => existsSync(f));
  if (copies.length === 0) return [];
  return [
    {
      code: 'BACKUP_COPIES',
      severity: 'warning',
      message: `${copies.join(', ')} ${copies.length === 1 ? 'is a copy' : 'are copies'} of the store from before an earlier change: ${copies.length === 1 ? 'it' : 'they'} may still hold private keys deleted since, or open with a password changed since. Delete ${copies.length === 1 ? 'it' : 'them'} when no longer needed.`,
    },
  ];
}

export function checkLoadedStore(loaded: LoadedStore, options: DoctorOptions): DoctorReport {
  const inferred = options.mqName === undefined && options.certLabel === undefined ? queueManagerFromPath(loaded.path) : undefined;
  const report = diagnoseStore({
    ...options,
    mqName: options.mqName ?? inferred,
    store: loaded.store,
    stash: loaded.store.format === 'cms' ? stashStateFor(loaded.path, loaded.password) : undefined,
    ...(inferred !== undefined ? { mqNameFromPath: inferred } : {}),
  });
  return { ...report, findings: sortFindings([...report.findings, ...backupFindings(loaded.path)]) };
}
