/** One tab per open store, named by file; arrow keys move between them, Delete closes one. */
import { useRef, type KeyboardEvent } from 'react';
import { useAppState } from '../app-state';
import { CloseStoreButton } from '../actions/CloseStoreAction';
import { distinctNames } from '../store-names';
import { formatNames } from '../store-format';

export const storeTabId = (storeId: string) => `store-tab-${storeId}`;
export const storePanelId = (storeId: string) => `store-panel-${storeId}`;

export function StoreTabs() {
  const stores = useAppState((s) => s.stores);
  const activeStoreId = useAppState((s) => s.activeStoreId);
  const { activateStore, closeStore } = useAppState.getState();
  const listRef = useRef<HTMLDivElement>(null);
  if (stores.length === 0) return null;

  function onKeyDown(event: KeyboardEvent, index: number) {
    const go = (i: number) => {
      event.preventDefault();
      const target = stores[(i + stores.length) % stores.length]!;
      activateStore(target.view.storeId);
      listRef.current?.querySelector<HTMLElement>(`#${CSS.escape(storeTabId(target.view.storeId))}`)?.focus();
    };
    if (event.key === 'ArrowRight') go(index + 1);
    else if (event.key === 'ArrowLeft') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(stores.length - 1);
    else if (event.key === 'Delete') {
      event.preventDefault();
      void closeStore(stores[index]!.view.storeId);
    }
  }

  // Two key.kdb files (a queue manager's and a client's) are told apart by their folders,
  // as many as it takes: both usually sit in a folder named ssl.
  const names = distinctNames(stores.map((s) => s.view.path));
  const shownName = (index: number) => names[index]!;

  // Only tabs may sit in a tablist, so the close buttons live beside it; the tablist is
  // display: contents and `order` pairs each tab with its × on screen. The strip is a
  // navigation landmark: it is how a screen reader user moves between open stores.
  return (
    <nav className="store-tabs" aria-label="Key databases">
      <div className="store-tablist" role="tablist" aria-label="Open key databases" ref={listRef}>
        {stores.map((store, index) => {
          const active = store.view.storeId === activeStoreId;
          return (
            <button
              key={store.view.storeId}
              type="button"
              role="tab"
              className={`store-tab${active ? ' active' : ''}`}
              style={{ order: 2 * index }}
              id={storeTabId(store.view.storeId)}
              aria-selected={active}
              aria-controls={storePanelId(store.view.storeId)}
              aria-keyshortcuts="Delete"
              tabIndex={active ? 0 : -1}
              title={store.view.path}
              onClick={() => activateStore(store.view.storeId)}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              <span className="store-tab-name">{shownName(index)}</span>
              <span className="store-tab-format">
                {formatNames[store.view.format]}
                {store.view.readOnly && <span className="store-tab-read-only">, read-only</span>}
              </span>
            </button>
          );
        })}
      </div>
      {stores.map((store, index) => (
        <span key={store.view.storeId} className={`store-tab-close${store.view.storeId === activeStoreId ? ' active' : ''}`} style={{ order: 2 * index + 1 }}>
          <CloseStoreButton store={store} name={shownName(index)} />
        </span>
      ))}
    </nav>
  );
}
