/**
 * The contract, implemented once. Electron's main process, the browser-mode server and
 * the CLI all call this object; they differ only in how requests reach it.
 */
import { randomUUID } from 'node:crypto';
import { KeyDeskError } from '../errors';
import { findEntry } from '../model/key-store';
import type { KeyDeskApi, OpenStoreRequest, StoreView } from './contract';
import { detailEntry, summarizeEntry } from './entry-view';
import { loadStore, type LoadedStore } from './store-files';

export class KeyDeskService implements KeyDeskApi {
  private readonly open = new Map<string, LoadedStore>();

  async openStore(request: OpenStoreRequest): Promise<StoreView> {
    const loaded = loadStore(request.path, request);
    const storeId = randomUUID();
    this.open.set(storeId, loaded);
    return {
      storeId,
      path: loaded.path,
      format: loaded.store.format,
      properties: loaded.store.properties,
      entries: loaded.store.entries.map(summarizeEntry),
    };
  }

  async closeStore({ storeId }: { storeId: string }): Promise<{ closed: boolean }> {
    return { closed: this.open.delete(storeId) };
  }

  async entryDetails({ storeId, label }: { storeId: string; label: string }) {
    const loaded = this.loaded(storeId);
    const entry = findEntry(loaded.store, label);
    if (!entry) {
      throw new KeyDeskError('not-found', `${loaded.path}: no entry labelled "${label}". List the store to see its labels.`);
    }
    return detailEntry(entry);
  }

  private loaded(storeId: string): LoadedStore {
    const loaded = this.open.get(storeId);
    if (!loaded) throw new KeyDeskError('not-found', 'that key store is no longer open; open it again.');
    return loaded;
  }
}
