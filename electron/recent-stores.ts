/**
 * File → Open Recent: the paths of stores opened successfully, most recent first, kept in
 * the user's app-data folder. Only paths are kept; a store that failed to open (wrong
 * password, not a store) is not remembered.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/io/atomic-file';
import type { KeyDeskApi, OpenStoreRequest } from '../core/api/contract';

export const maxRecentStores = 10;

export class RecentStores {
  private paths: string[];

  constructor(private readonly file: string) {
    this.paths = readList(file);
  }

  list(): readonly string[] {
    return this.paths;
  }

  add(path: string): void {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, maxRecentStores);
    this.save();
  }

  clear(): void {
    this.paths = [];
    this.save();
  }

  private save(): void {
    try {
      writeFileAtomic(this.file, new TextEncoder().encode(JSON.stringify(this.paths, null, 2)), { mode: 0o600 });
    } catch {
      // A menu convenience must never stop a store from opening.
    }
  }
}

function readList(file: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, maxRecentStores) : [];
  } catch {
    return [];
  }
}

/**
 * The contract as the window gets it, noting every store that opened. The main process
 * sees each openStore anyway, so the window has no separate "remember this" call to
 * forget or to abuse.
 */
export function rememberingOpenedStores(api: KeyDeskApi, onOpened: (path: string) => void): KeyDeskApi {
  return new Proxy(api, {
    get(target, property) {
      if (property !== 'openStore') {
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (request: OpenStoreRequest) => {
        const view = await target.openStore(request);
        onOpened(view.path);
        return view;
      };
    },
  });
}
