import { useAppState, type PaneName } from './app-state';
import { OpenStoreAction } from './actions/OpenStoreAction';
import { EntryPane, paneTitles } from './panes/EntryPane';
import { EntryDetailsPanel } from './panes/EntryDetailsPanel';

const paneOf = { personal: 'personal', signer: 'signer', request: 'request' } as const;

export function App() {
  const { store, pane, error, showPane, dismissError } = useAppState();
  return (
    <div className="app">
      <header>
        <h1>KeyDesk</h1>
        <OpenStoreAction />
      </header>
      {error && (
        <div className="error" role="alert">
          {error} <button onClick={dismissError}>Dismiss</button>
        </div>
      )}
      {store && (
        <main>
          <p className="store-path">
            {store.path} <span className="format">{store.format.toUpperCase()}</span>
          </p>
          <nav role="tablist">
            {(Object.keys(paneTitles) as PaneName[]).map((name) => (
              <button key={name} role="tab" aria-selected={pane === name} onClick={() => showPane(name)}>
                {paneTitles[name]} ({store.entries.filter((e) => e.kind === paneOf[name]).length})
              </button>
            ))}
          </nav>
          <div className="workspace">
            <EntryPane pane={pane} entries={store.entries.filter((e) => e.kind === paneOf[pane])} />
            <EntryDetailsPanel />
          </div>
        </main>
      )}
    </div>
  );
}
