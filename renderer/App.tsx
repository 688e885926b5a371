/**
 * The main window: open stores as tabs; for the one shown, iKeyman's three panes. Dialogs
 * (details, password, file browser, and issue 7's actions) float above, from the dialog stack.
 */
import { useActiveStore } from './app-state';
import { OpenStoreButton } from './actions/OpenStoreAction';
import { NewStoreButton } from './actions/NewStoreAction';
import { showShortcuts } from './actions/ShortcutsDialog';
import { DialogHost } from './components/DialogHost';
import { KeyIcon } from './components/icons';
import { MessageBar } from './components/MessageBar';
import { PaneSelector, paneTabId, panePanelId } from './components/PaneSelector';
import { StoreHeader } from './components/StoreHeader';
import { StoreTabs, storePanelId, storeTabId } from './components/StoreTabs';
import { WelcomePanel } from './components/WelcomePanel';
import { useDropToOpen } from './drop-to-open';
import { isDesktop } from './keydesk-client';
import { EntryPane } from './panes/EntryPane';
import { useWindowTitle } from './window-title';

export function App() {
  const store = useActiveStore();
  const dragging = useDropToOpen();
  useWindowTitle();

  return (
    <div className="app">
      <header className="app-bar">
        <h1>
          <span className="logo">
            <KeyIcon />
          </span>
          KeyDesk
        </h1>
        <div className="app-bar-actions">
          <NewStoreButton />
          <OpenStoreButton />
          {!isDesktop && (
            <button type="button" className="secondary" onClick={showShortcuts} aria-label="Keyboard shortcuts">
              <span aria-hidden="true">⌨ </span>Shortcuts
            </button>
          )}
        </div>
      </header>
      <StoreTabs />
      <MessageBar />
      <main className="workspace">
        {store ? (
          <div className="store" role="tabpanel" id={storePanelId} aria-labelledby={storeTabId(store.view.storeId)}>
            <StoreHeader store={store} />
            <PaneSelector store={store} />
            <section className="pane-panel" role="tabpanel" id={panePanelId} aria-labelledby={paneTabId(store.pane)}>
              <EntryPane key={`${store.view.storeId}-${store.pane}`} store={store} pane={store.pane} />
            </section>
          </div>
        ) : (
          <WelcomePanel />
        )}
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>{isDesktop ? 'Drop a key store to open it' : 'Browser mode opens files on the server: use Open…'}</p>
        </div>
      )}
      <DialogHost />
    </div>
  );
}
