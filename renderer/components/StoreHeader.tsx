/** Which store this is, how it was unlocked, and that nothing in it is left unsaved. */
import type { MqRole } from '../../core/api/contract';
import { formatNames } from '../store-format';
import { changePassword } from '../actions/ChangePasswordAction';
import { stashPassword } from '../actions/StashPasswordAction';
import { saveAs } from '../actions/SaveAsAction';
import { exportList } from '../actions/ExportListAction';
import { examineTlsEndpoint } from '../actions/ExamineTlsEndpointAction';
import { roleOf, roleWords, setRole, useExchangeState } from '../checks/exchange-state';
import { StoreActionsMenu } from './StoreActionsMenu';
import { distinctNames } from '../store-names';
import { useAppState, type OpenStore } from '../app-state';
import { toolTabs } from './PaneSelector';
import { readOnlyReason } from '../actions/pane-actions';

const unlockedWords: Record<OpenStore['unlockedWith'], string> = {
  password: 'Opened with its password',
  stash: 'Opened with its stash file',
  'at start': 'Opened when KeyDesk started',
};

/** `changes`: off for a store opened read-only (the menu says why instead of opening it). */
export const storeActions = (store: OpenStore) => [
  { text: 'Change Password…', changes: true, run: () => changingAction(store, changePassword) },
  { text: 'Stash Password…', changes: true, run: () => changingAction(store, stashPassword) },
  { text: 'Save As / Convert…', run: () => saveAs(store) },
  { text: 'Export List…', run: () => exportList(store) },
  // This store's signers and certificate against a live queue manager's listener (issue 17).
  { text: 'Examine TLS Endpoint…', run: () => examineTlsEndpoint(store) },
];

function changingAction(store: OpenStore, action: (store: OpenStore) => void): void {
  if (store.view.readOnly) useAppState.getState().showMessage({ tone: 'info', text: readOnlyReason });
  else action(store);
}

/** `side`: side by side, where half a window has room for one row: A or B, the path, the
 * store's role in the exchange, and the key database actions in a menu. */
export function StoreHeader({ store, side }: { store: OpenStore; side?: 'A' | 'B' }) {
  const { view } = store;
  const allPaths = useAppState((s) => s.stores.map((o) => o.view.path).join('\n')).split('\n');
  const version = view.format === 'cms' && typeof view.properties.version === 'number' ? ` version ${view.properties.version}` : '';
  const shown = store.rows.personal.length + store.rows.signer.length + store.rows.request.length;
  const hidden = view.entries.length - shown;
  const hiddenFact = hidden > 0 && (
    <li className="fact-warning">
      {hidden} other {hidden === 1 ? 'entry' : 'entries'} (secret keys or entries KeyDesk cannot read) kept unchanged, not listed
    </li>
  );
  if (side) {
    const names = distinctNames(allPaths);
    const shortName = names[allPaths.indexOf(view.path)] ?? view.path;
    return (
      <div className="store-header store-header-side">
        <div className="store-title-row">
          <span className="side-letter" aria-hidden="true">
            {side}
          </span>
          {/* Named as its tab is, by as many folders as tell it apart; the whole path on hover. */}
          <p className="store-path" title={view.path}>
            <bdi>{shortName}</bdi>
          </p>
          <RoleSelect store={store} side={side} />
          <StoreActionsMenu
            label="Key Database"
            actions={[
              ...storeActions(store),
              // Side by side the checks have no tab of their own until shown (PaneSelector).
              ...toolTabs.map(({ tool, title }) => ({
                text: title,
                run: () => {
                  useAppState.getState().activateStore(view.storeId);
                  useAppState.getState().showTool(tool);
                },
              })),
            ]}
          />
        </div>
        {(hiddenFact || view.readOnly) && (
          <ul className="store-facts" aria-label="About this key database">
            {view.readOnly && (
              <li className="fact-read-only" title={readOnlyReason}>
                Read-only
              </li>
            )}
            {hiddenFact}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div className="store-header">
      <div className="store-title-row">
        <p className="store-path" title={view.path}>
          {view.path}
        </p>
        <div className="store-actions" role="group" aria-label="Key database actions">
          {storeActions(store).map((a) => (
            <button
              key={a.text}
              type="button"
              className="secondary small"
              disabled={a.changes && view.readOnly}
              title={a.changes && view.readOnly ? readOnlyReason : undefined}
              onClick={a.run}
            >
              {a.text}
            </button>
          ))}
        </div>
      </div>
      <ul className="store-facts" aria-label="About this key database">
        <li className="fact-format">
          {formatNames[view.format]}
          {version}
        </li>
        {view.readOnly && (
          <li className="fact-read-only" title={readOnlyReason}>
            Read-only<span className="fact-read-only-reason"> — changes are off; to change it, close it and open it again without “Open read-only”</span>
          </li>
        )}
        {view.format === 'pkcs11' ? (
          <>
            <li>Opened with its PIN</li>
            <li title="A change is made on the token at once; keys made here stay on it and are never exported.">
              <span aria-hidden="true">✓ </span>Changes are made on the token
            </li>
          </>
        ) : (
          <>
            <li>{unlockedWords[store.unlockedWith]}</li>
            <li title="KeyDesk writes every change to disk as soon as it is made, all of the store's files as one; no copy of the old files is left behind.">
              <span aria-hidden="true">✓ </span>No unsaved changes
            </li>
          </>
        )}
        {hiddenFact}
      </ul>
    </div>
  );
}

/** The trainer says which side is the queue manager (both, for two queue managers). */
function RoleSelect({ store, side }: { store: OpenStore; side: 'A' | 'B' }) {
  const storeId = store.view.storeId;
  const other = useAppState((s) => s.stores.find((o) => o.view.storeId !== storeId && s.sideBySide?.includes(o.view.storeId)));
  const role = useExchangeState((s) => roleOf(s.roles, store, side, other));
  return (
    <label className="role-select">
      <span className="visually-hidden">Role of {side}</span>
      <select value={role} onChange={(e) => setRole(storeId, e.target.value as MqRole)}>
        {(Object.keys(roleWords) as MqRole[]).map((r) => (
          <option key={r} value={r}>
            {roleWords[r]}
          </option>
        ))}
      </select>
    </label>
  );
}
