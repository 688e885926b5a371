/**
 * The main window: open stores as tabs; for the one shown, iKeyman's three panes. Dialogs
 * (details, password, file browser, and issue 7's actions) float above, from the dialog stack.
 */
import { useActiveStore, useAppState } from './app-state';
import { OpenStoreButton } from './actions/OpenStoreAction';
import { NewStoreButton } from './actions/NewStoreAction';
import { ExamineCertificateButton } from './actions/ExamineCertificateAction';
import { showShortcuts } from './actions/ShortcutsDialog';
import { DialogHost } from './components/DialogHost';
import { KeyIcon } from './components/icons';
import { MessageBar } from './components/MessageBar';
import { ExchangeBar } from './components/ExchangeBar';
import { SideBySideButton } from './components/SideBySideButton';
import { StorePanel } from './components/StorePanel';
import { StoreTabs } from './components/StoreTabs';
import { WelcomePanel } from './components/WelcomePanel';
import { useDropToOpen } from './drop-to-open';
import { isDesktop } from './keydesk-client';
import { useWindowTitle } from './window-title';

export function App() {
  const store = useActiveStore();
  const sideBySide = useAppState((s) => s.sideBySide);
  const left = useAppState((s) => s.stores.find((o) => o.view.storeId === s.sideBySide?.[0]));
  const right = useAppState((s) => s.stores.find((o) => o.view.storeId === s.sideBySide?.[1]));
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
          <SideBySideButton />
          <NewStoreButton />
          <OpenStoreButton />
          <ExamineCertificateButton />
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
        {sideBySide && left && right ? (
          <>
            <div className="side-by-side">
              <StorePanel store={left} side="left" />
              <StorePanel store={right} side="right" />
            </div>
            <ExchangeBar a={left} b={right} />
          </>
        ) : store ? (
          <StorePanel store={store} />
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
