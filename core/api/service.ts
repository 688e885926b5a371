/**
 * The contract, implemented once. Electron's main process, the browser-mode server and
 * the CLI all call this object; they differ only in how requests reach it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore } from '../model/key-store';
import { createEmptyCmsStore } from '../formats/cms';
import { canHold, describeKind } from '../formats/capabilities';
import type {
  ChangePasswordRequest,
  ConvertStoreRequest,
  CreateStoreRequest,
  FilesWritten,
  KeyDeskApi,
  OpenStoreRequest,
  StashPasswordRequest,
  StoreView,
} from './contract';
import { detailEntry, summarizeEntry } from './entry-view';
import { loadStore, stashPathFor, type LoadedStore } from './store-files';
import { filesOf, saveStash, saveStore } from './store-writer';

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
    return detailEntry(entry, loaded.store);
  }

  async createStore(request: CreateStoreRequest): Promise<FilesWritten> {
    requirePassword(request.password, request.path);
    const store: KeyStore = request.format === 'cms' ? createEmptyCmsStore() : { format: request.format, entries: [], properties: {} };
    const saved = saveStore(request.path, store, request.password, { cmsVersion: request.cmsVersion ?? 6, createOnly: true });
    const written = filesOf(request.path, store.format);
    if (request.stash) written.push(saveStash(request.path, request.password, request.stashForm));
    return { written, notes: saved.notes };
  }

  async stashPassword(request: StashPasswordRequest): Promise<FilesWritten> {
    // Open first: a stash that does not open its store is worse than none.
    loadStore(request.path, { password: request.password });
    return { written: [saveStash(request.path, request.password, request.stashForm)], notes: [] };
  }

  async changePassword(request: ChangePasswordRequest): Promise<FilesWritten> {
    requirePassword(request.newPassword, request.path);
    const loaded = loadStore(request.path, request);
    const version = loaded.store.properties.version;
    const saved = saveStore(request.path, loaded.store, request.newPassword, {
      cmsVersion: version === 4 ? 4 : 6,
      expectedDigest: loaded.digest,
    });
    const written = filesOf(request.path, loaded.store.format);
    const notes = [...saved.notes];
    // A stash left with the old password would stop the queue manager at its next start.
    const stashPath = stashPathFor(request.path);
    if (request.stash || existsSync(stashPath)) {
      written.push(saveStash(request.path, request.newPassword, request.stashForm));
      if (!request.stash) notes.push(`${stashPath} updated to the new password.`);
    }
    return { written, notes };
  }

  async convertStore(request: ConvertStoreRequest): Promise<FilesWritten> {
    requirePassword(request.newPassword, request.newPath);
    const loaded = loadStore(request.path, request);
    const carried = loaded.store.entries.filter((e) => canHold(request.newFormat, e));
    const left = loaded.store.entries.filter((e) => !canHold(request.newFormat, e));
    const refused = left.filter((e) => e.kind !== 'request');
    if (refused.length > 0) {
      const names = refused.map((e) => `${describeKind(e)} "${e.label}"`).join(', ');
      throw new KeyDeskError('unsupported', `${request.newPath} not written: ${request.newFormat.toUpperCase()} cannot hold ${names}.`);
    }
    // Records of the source format mean nothing to another writer; drop them.
    const entries = carried.map((e) => (e.source?.format === request.newFormat ? e : { ...e, source: undefined }));
    const target: KeyStore = { format: request.newFormat, entries: entries as KeyStore['entries'], properties: {} };
    const saved = saveStore(request.newPath, target, request.newPassword, { cmsVersion: request.cmsVersion ?? 6, createOnly: true });
    const notes = [...saved.notes];
    const requests = left.filter((e) => e.kind === 'request');
    if (requests.length > 0) {
      notes.push(`${requests.length} pending certificate request(s) stay in the original store: ${request.newFormat.toUpperCase()} has no place for them (${requests.map((e) => e.label).join(', ')}).`);
    }
    const written = filesOf(request.newPath, request.newFormat);
    if (request.stash) written.push(saveStash(request.newPath, request.newPassword));
    return { written, notes };
  }

  private loaded(storeId: string): LoadedStore {
    const loaded = this.open.get(storeId);
    if (!loaded) throw new KeyDeskError('not-found', 'that key store is no longer open; open it again.');
    return loaded;
  }
}

function requirePassword(password: string, path: string): void {
  if (password.length === 0) throw new KeyDeskError('usage', `${path}: an empty password is not allowed for a key store.`);
}
