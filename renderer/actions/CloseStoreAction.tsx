/** File → Close: closes the store's tab. KeyDesk saves every change at once, so nothing is lost. */
import { activeStore, useAppState, type OpenStore } from '../app-state';
import { fileNameOf } from '../paths';

export function closeActiveStore(): void {
  const store = activeStore();
  if (store) void useAppState.getState().closeStore(store.view.storeId);
}

export function CloseStoreButton({ store }: { store: OpenStore }) {
  const closeStore = useAppState((s) => s.closeStore);
  const name = fileNameOf(store.view.path);
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
