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
  /** A check shown instead of the pane (issue 8): the MQ doctor or the validity timeline. */
  tool?: StoreTool;
}

export type StoreTool = 'doctor' | 'timeline';

export interface Message {
  tone: 'error' | 'info';
  text: string;
  /** The store the message is about: shown only while that store is in view, so a result
   * from one tab never reads as news about another. */
  storeId?: string;
}

export type OpenResult = { ok: true } | { ok: false; message: string; code: string; reason?: string };

interface AppState {
  stores: OpenStore[];
  activeStoreId?: string;
  /** Two stores shown next to each other (a queue manager's and a client's), left then right. */
  sideBySide?: [string, string];
  message?: Message;
  /** Opens a store as a new tab (or shows its tab when it is already open). */
  openStore(path: string, credentials: Credentials & { readOnly?: boolean }, unlockedWith: UnlockedWith): Promise<OpenResult>;
  /** A store the server opened before the page loaded (`-ui -serve -db`). */
  adoptStore(view: StoreView, unlockedWith: UnlockedWith): void;
  closeStore(storeId: string): Promise<void>;
  activateStore(storeId: string): void;
  /** Side by side on (the active store and its neighbour) or off. */
  toggleSideBySide(): void;
  showPane(pane: PaneName): void;
  showTool(tool: StoreTool | undefined): void;
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
        return { ok: false, message: (e as Error).message, code: (e as { code?: string }).code ?? 'internal', reason: (e as { reason?: string }).reason };
      }
    },
    adoptStore: (view, unlockedWith) =>
      set((state) => ({
        stores: [...state.stores.filter((s) => s.view.storeId !== view.storeId), storeTab(view, unlockedWith)],
        activeStoreId: view.storeId,
        sideBySide: pairShowing(state.sideBySide, state.activeStoreId, view.storeId),
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
        return { stores, activeStoreId, sideBySide: pairWithout(state.sideBySide, storeId, stores) };
      });
    },
    activateStore: (storeId) =>
      set((state) => ({ activeStoreId: storeId, sideBySide: pairShowing(state.sideBySide, state.activeStoreId, storeId) })),
    toggleSideBySide: () =>
      set((state) => {
        if (state.sideBySide) return { sideBySide: undefined };
        const index = state.stores.findIndex((s) => s.view.storeId === state.activeStoreId);
        if (index < 0 || state.stores.length < 2) return {};
        const other = index === 0 ? state.stores[1]! : state.stores[index - 1]!;
        const active = state.stores[index]!;
        return { sideBySide: index === 0 ? [active.view.storeId, other.view.storeId] : [other.view.storeId, active.view.storeId] };
      }),
    showPane: (pane) => updateActive((s) => ({ ...s, pane, tool: undefined })),
    showTool: (tool) => updateActive((s) => ({ ...s, tool })),
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
        sideBySide: state.sideBySide?.map((id) => (id === oldStoreId ? view.storeId : id)) as [string, string] | undefined,
      })),
    showMessage: (message) => set({ message }),
    dismissMessage: () => set({ message: undefined }),
  };
});

/** Side by side, a store not shown yet takes the place of the side not in use. */
function pairShowing(pair: [string, string] | undefined, activeStoreId: string | undefined, storeId: string): [string, string] | undefined {
  if (!pair || pair.includes(storeId)) return pair;
  const keep = activeStoreId && pair.includes(activeStoreId) ? activeStoreId : pair[0];
  return pair[0] === keep ? [keep, storeId] : [storeId, keep];
}

/** After a store closes, the side-by-side pair keeps two stores if there are two. */
function pairWithout(pair: [string, string] | undefined, closed: string, stores: OpenStore[]): [string, string] | undefined {
  if (!pair || !pair.includes(closed)) return pair;
  const kept = pair[0] === closed ? pair[1] : pair[0];
  const other = stores.find((s) => s.view.storeId !== kept);
  if (!other) return undefined;
  return pair[0] === closed ? [other.view.storeId, kept] : [kept, other.view.storeId];
}

export function useActiveStore(): OpenStore | undefined {
  return useAppState((s) => s.stores.find((store) => store.view.storeId === s.activeStoreId));
}

export function activeStore(): OpenStore | undefined {
  const state = useAppState.getState();
  return state.stores.find((store) => store.view.storeId === state.activeStoreId);
}
