/**
 * The renderer's state: the open store's metadata, the pane shown, the selected entry.
 * Private keys and passwords are never kept here (the password is sent once, to open).
 */
import { create } from 'zustand';
import type { EntryDetails, StoreView } from '../core/api/contract';
import { keydesk } from './keydesk-client';

export type PaneName = 'personal' | 'signer' | 'request';

interface AppState {
  store?: StoreView;
  pane: PaneName;
  selected?: EntryDetails;
  error?: string;
  busy: boolean;
  openStore(path: string, credentials: { password?: string; stashed?: boolean }): Promise<void>;
  closeStore(): Promise<void>;
  showPane(pane: PaneName): void;
  selectEntry(label: string): Promise<void>;
  dismissError(): void;
}

export const useAppState = create<AppState>((set, get) => {
  /** Runs an action, showing its error as the one plain line it is. */
  async function attempt(work: () => Promise<void>): Promise<void> {
    set({ busy: true, error: undefined });
    try {
      await work();
    } catch (e) {
      set({ error: (e as Error).message });
    } finally {
      set({ busy: false });
    }
  }
  return {
    pane: 'personal',
    busy: false,
    openStore: (path, credentials) =>
      attempt(async () => {
        const previous = get().store;
        const store = await keydesk.openStore({ path, ...credentials });
        if (previous) await keydesk.closeStore({ storeId: previous.storeId });
        set({ store, selected: undefined });
      }),
    closeStore: () =>
      attempt(async () => {
        const store = get().store;
        if (store) await keydesk.closeStore({ storeId: store.storeId });
        set({ store: undefined, selected: undefined });
      }),
    showPane: (pane) => set({ pane, selected: undefined }),
    selectEntry: (label) =>
      attempt(async () => {
        const store = get().store;
        if (!store) return;
        set({ selected: await keydesk.entryDetails({ storeId: store.storeId, label }) });
      }),
    dismissError: () => set({ error: undefined }),
  };
});
