/**
 * The renderer's state: the open stores (one tab each, metadata only), and per store the
 * pane shown and per pane its filter, sort and selected label. Private keys are never
 * here, and a password lives only in the dialog that sends it, once, to open.
 */
import { create } from 'zustand';
import type { Credentials, StoreChanged, StoreView } from '../core/api/contract';
import { defaultSortOrder, rowsByPane, type EntryRow, type PaneName, type SortColumn, type SortOrder } from './entry-rows';
import { keydesk } from './keydesk-client';

export interface PaneView {
  filter: string;
  sort: SortOrder;
  selectedLabel?: string;
}

export type UnlockedWith = 'password' | 'stash' | 'at start';

export interface OpenStore {
  view: StoreView;
  unlockedWith: UnlockedWith;
  /** Rows per pane, derived once from `view.entries` with expiry judged when it was opened. */
  rows: Record<PaneName, EntryRow[]>;
  pane: PaneName;
  panes: Record<PaneName, PaneView>;
}

export interface Message {
  tone: 'error' | 'info';
  text: string;
}

export type OpenResult = { ok: true } | { ok: false; message: string; code: string };

interface AppState {
  stores: OpenStore[];
  activeStoreId?: string;
  message?: Message;
  /** Opens a store as a new tab (or shows its tab when it is already open). */
  openStore(path: string, credentials: Credentials, unlockedWith: UnlockedWith): Promise<OpenResult>;
  /** A store the server opened before the page loaded (`-ui -serve -db`). */
  adoptStore(view: StoreView, unlockedWith: UnlockedWith): void;
  closeStore(storeId: string): Promise<void>;
  activateStore(storeId: string): void;
  showPane(pane: PaneName): void;
  setFilter(filter: string): void;
  sortBy(column: SortColumn): void;
  selectEntry(label: string | undefined): void;
  /** After an action changed the store (issue 7's dialogs): the store as it now is, with
   * the entry the action made or changed shown and selected. */
  applyChange(storeId: string, changed: StoreChanged, show?: { pane: PaneName; label: string }): void;
  /** The same file reopened under a new session (after Change Password): same tab, new id. */
  replaceStore(oldStoreId: string, view: StoreView, unlockedWith: UnlockedWith): void;
  showMessage(message: Message): void;
  dismissMessage(): void;
}

const freshPanes = (): Record<PaneName, PaneView> => ({
  personal: { filter: '', sort: defaultSortOrder },
  signer: { filter: '', sort: defaultSortOrder },
  request: { filter: '', sort: defaultSortOrder },
});

/** iKeyman opens on Personal Certificates; a store of trusted CAs only opens on its signers. */
function firstPane(rows: Record<PaneName, EntryRow[]>): PaneName {
  if (rows.personal.length === 0 && rows.signer.length > 0) return 'signer';
  return 'personal';
}

export function storeTab(view: StoreView, unlockedWith: UnlockedWith, now = Date.now()): OpenStore {
  const rows = rowsByPane(view.entries, now);
  return { view, unlockedWith, rows, pane: firstPane(rows), panes: freshPanes() };
}

export const useAppState = create<AppState>((set, get) => {
  const updateActive = (update: (store: OpenStore) => OpenStore) =>
    set((state) => ({ stores: state.stores.map((s) => (s.view.storeId === state.activeStoreId ? update(s) : s)) }));
  const updatePane = (update: (pane: PaneView) => PaneView) => updateActive((s) => ({ ...s, panes: { ...s.panes, [s.pane]: update(s.panes[s.pane]) } }));

  return {
    stores: [],
    openStore: async (path, credentials, unlockedWith) => {
      const already = get().stores.find((s) => s.view.path === path);
      if (already) {
        set({ activeStoreId: already.view.storeId, message: { tone: 'info', text: `${path} is already open.` } });
        return { ok: true };
      }
      try {
        const view = await keydesk.openStore({ path, ...credentials });
        get().adoptStore(view, unlockedWith);
        return { ok: true };
      } catch (e) {
        return { ok: false, message: (e as Error).message, code: (e as { code?: string }).code ?? 'internal' };
      }
    },
    adoptStore: (view, unlockedWith) =>
      set((state) => ({
        stores: [...state.stores.filter((s) => s.view.storeId !== view.storeId), storeTab(view, unlockedWith)],
        activeStoreId: view.storeId,
        message: undefined,
      })),
    closeStore: async (storeId) => {
      const index = get().stores.findIndex((s) => s.view.storeId === storeId);
      if (index < 0) return;
      try {
        await keydesk.closeStore({ storeId });
      } catch {
        // The server forgot it already (restarted); closing the tab is still right.
      }
      set((state) => {
        const stores = state.stores.filter((s) => s.view.storeId !== storeId);
        const activeStoreId = state.activeStoreId === storeId ? stores[Math.min(index, stores.length - 1)]?.view.storeId : state.activeStoreId;
        return { stores, activeStoreId };
      });
    },
    activateStore: (storeId) => set({ activeStoreId: storeId }),
    showPane: (pane) => updateActive((s) => ({ ...s, pane })),
    setFilter: (filter) => updatePane((p) => ({ ...p, filter })),
    sortBy: (column) =>
      updatePane((p) => ({
        ...p,
        sort: { column, direction: p.sort.column === column && p.sort.direction === 'ascending' ? 'descending' : 'ascending' },
      })),
    selectEntry: (label) => updatePane((p) => ({ ...p, selectedLabel: label })),
    applyChange: (storeId, changed, show) =>
      set((state) => ({
        stores: state.stores.map((s) => {
          if (s.view.storeId !== storeId) return s;
          const view = { ...s.view, entries: changed.entries, properties: changed.properties };
          const updated = { ...s, view, rows: rowsByPane(view.entries, Date.now()) };
          if (!show) return updated;
          return { ...updated, pane: show.pane, panes: { ...updated.panes, [show.pane]: { ...updated.panes[show.pane], filter: '', selectedLabel: show.label } } };
        }),
      })),
    replaceStore: (oldStoreId, view, unlockedWith) =>
      set((state) => ({
        stores: state.stores.map((s) => (s.view.storeId === oldStoreId ? { ...s, view, unlockedWith, rows: rowsByPane(view.entries, Date.now()) } : s)),
        activeStoreId: state.activeStoreId === oldStoreId ? view.storeId : state.activeStoreId,
      })),
    showMessage: (message) => set({ message }),
    dismissMessage: () => set({ message: undefined }),
  };
});

export function useActiveStore(): OpenStore | undefined {
  return useAppState((s) => s.stores.find((store) => store.view.storeId === s.activeStoreId));
}

export function activeStore(): OpenStore | undefined {
  const state = useAppState.getState();
  return state.stores.find((store) => store.view.storeId === state.activeStoreId);
}
