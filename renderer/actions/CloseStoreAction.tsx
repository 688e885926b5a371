/** File → Close: closes the store's tab. KeyDesk saves every change at once, so nothing is lost. */
import { activeStore, useAppState, type OpenStore } from '../app-state';
import { fileNameOf } from '../paths';

export function closeActiveStore(): void {
  const store = activeStore();
  if (store) void useAppState.getState().closeStore(store.view.storeId);
}

/** The × of a store's tab; `name` is what the tab shows (the file name, with its folder when two share one). */
export function CloseStoreButton({ store, name = fileNameOf(store.view.path) }: { store: OpenStore; name?: string }) {
  const closeStore = useAppState((s) => s.closeStore);
  return (
    <button
      type="button"
      className="tab-close"
      aria-label={`Close ${name}`}
      title={`Close ${store.view.path}`}
      onClick={() => void closeStore(store.view.storeId)}
    >
      <span aria-hidden="true">×</span>
    </button>
  );
}
